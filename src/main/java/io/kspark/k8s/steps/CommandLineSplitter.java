package io.kspark.k8s.steps;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits option strings like {@code -Da="x y" -Db} into words the way Spark does: single and double
 * quotes group, a backslash escapes inside double quotes only.
 */
public final class CommandLineSplitter {

    private CommandLineSplitter() {
    }

    public static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean inSingle = false;
        boolean inDouble = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inDouble) {
                if (c == '"') {
                    inDouble = false;
                } else if (c == '\\') {
                    if (i < s.length() - 1) {
                        word.append(s.charAt(++i));
                    }
                } else {
                    word.append(c);
                }
            } else if (inSingle) {
                if (c == '\'') {
                    inSingle = false;
                } else {
                    word.append(c);
                }
            } else if (c == '"') {
                inWord = true;
                inDouble = true;
            } else if (c == '\'') {
                inWord = true;
                inSingle = true;
            } else if (!isSpace(c)) {
                word.append(c);
                inWord = true;
            } else if (inWord) {
                words.add(word.toString());
                word.setLength(0);
                inWord = false;
            }
        }
        if (inWord || inDouble || inSingle) {
            words.add(word.toString());
        }
        return words;
    }

    private static boolean isSpace(char c) {
        return " \t\r\n".indexOf(c) != -1;
    }
}
