package io.kspark.submit;

import io.kspark.conf.SparkValues;
import io.kspark.conf.UserInputException;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * spark-submit's glob resolution of jars, files and archives on the submitting machine
 * ({@code DependencyUtils.resolveGlobPaths}): a local pattern becomes the files it matches, in path order; a local
 * directory is left out (only files are shipped); a pattern that matches nothing vanishes. Remote and
 * {@code local://} entries stay as given.
 */
final class LocalGlobs {

    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private LocalGlobs() {
    }

    static String expand(String key, String list, List<String> warnings) {
        List<String> expanded = new ArrayList<>();
        for (String entry : SparkValues.list(list)) {
            expanded.addAll(expandOne(key, entry, warnings));
        }
        return String.join(",", expanded);
    }

    private static List<String> expandOne(String key, String entry, List<String> warnings) {
        int hash = entry.indexOf('#');
        String base = hash < 0 ? entry : entry.substring(0, hash);
        String fragment = hash < 0 ? "" : entry.substring(hash);
        Optional<Path> local = localPath(base);
        if (local.isEmpty()) {
            return List.of(entry);
        }
        if (!isGlob(local.get().toString())) {
            if (Files.isDirectory(local.get())) {
                warnings.add(key + ": " + base + " is a directory, left out (spark-submit ships files only)");
                return List.of();
            }
            return List.of(entry);
        }
        List<Path> matches = matching(key, local.get().toAbsolutePath());
        if (matches.isEmpty()) {
            warnings.add(key + ": " + base + " matches no file, left out");
        }
        if (!fragment.isEmpty() && matches.size() > 1) {
            throw UserInputException.forKey(key, base + " resolves ambiguously to multiple files: " + matches);
        }
        return matches.stream().map(p -> new File(p.toString()).toURI() + fragment).toList();
    }

    /** The path of an entry on this machine: no scheme, or {@code file:}. */
    private static Optional<Path> localPath(String entry) {
        if (entry.startsWith("file:")) {
            if (entry.contains("%")) {
                // Resolved from an option (--jars dir/?.jar): the URI escapes what a glob needs ('?', '[', '{', ' ').
                try {
                    return Optional.of(Path.of(URI.create(entry)));
                } catch (IllegalArgumentException notAUri) {
                    // a literal '%' in a raw value: taken as written below
                }
            }
            String path = entry.substring("file:".length());
            return Optional.of(Path.of(path.startsWith("///") ? path.substring(2) : path));
        }
        return SCHEME.matcher(entry).find() ? Optional.empty() : Optional.of(Path.of(entry));
    }

    private static boolean isGlob(String entry) {
        return entry.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /**
     * Regular files matching an absolute glob, searched below its last directory without glob characters. Links are
     * followed (a "current" link to a release directory is common); unreadable directories and link loops are
     * skipped, as Hadoop's glob skips what it cannot list.
     */
    private static List<Path> matching(String key, Path pattern) {
        Path root = pattern.getRoot();
        int first = 0;
        while (first < pattern.getNameCount() && !isGlob(pattern.getName(first).toString())) {
            root = root.resolve(pattern.getName(first));
            first++;
        }
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), pattern.getNameCount() - first, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && matcher.matches(file)) {
                        found.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw UserInputException.forKey(key, "cannot look for " + pattern + " in " + root + ": " + e.getMessage());
        }
        return found.stream().sorted().toList();
    }
}
