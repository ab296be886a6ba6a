package io.kspark.submit;

import io.kspark.conf.SparkValues;
import io.kspark.conf.UserInputException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
        if (!isGlob(base)) {
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
            String path = entry.substring("file:".length());
            return Optional.of(Path.of(path.startsWith("///") ? path.substring(2) : path));
        }
        return SCHEME.matcher(entry).find() ? Optional.empty() : Optional.of(Path.of(entry));
    }

    private static boolean isGlob(String entry) {
        return entry.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** Regular files matching an absolute glob, searched below its last directory without glob characters. */
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
        try (Stream<Path> found = Files.walk(root, pattern.getNameCount() - first)) {
            return found.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw UserInputException.forKey(key, "cannot look for " + pattern + " in " + root + ": " + e.getMessage());
        }
    }
}
