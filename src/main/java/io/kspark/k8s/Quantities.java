package io.kspark.k8s;

import java.util.regex.Pattern;

/** Kubernetes resource quantity syntax ({@code 500m}, {@code 1.5}, {@code 2Gi}, {@code 1e3}). */
public final class Quantities {

    private static final Pattern QUANTITY = Pattern.compile(
            "^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$");

    private Quantities() {
    }

    public static boolean isValid(String text) {
        return text != null && QUANTITY.matcher(text).matches();
    }
}
