package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kspark.conf.SparkConf;
import io.kspark.conf.SparkValues;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.Names;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Custom resources ({@code spark.<driver|executor>.resource.<name>.amount/vendor}) turned into
 * Kubernetes device-plugin limits such as {@code nvidia.com/gpu: 1}.
 */
public final class ResourceRequests {

    private ResourceRequests() {
    }

    public static Map<String, Quantity> limits(SparkConf conf, String componentPrefix) {
        Set<String> names = new LinkedHashSet<>();
        conf.withPrefix(componentPrefix).keySet().forEach(key -> {
            int dot = key.indexOf('.');
            if (dot < 0) {
                throw UserInputException.forKey(componentPrefix + key, "a resource needs an amount, e.g. " + componentPrefix + key + ".amount");
            }
            names.add(key.substring(0, dot));
        });
        Map<String, Quantity> limits = new LinkedHashMap<>();
        for (String name : names) {
            String base = componentPrefix + name + ".";
            String amountText = conf.getOption(base + "amount")
                    .orElseThrow(() -> UserInputException.forKey(base + "amount", "is required for resource " + name));
            int amount;
            try {
                amount = SparkValues.integer(amountText);
            } catch (IllegalArgumentException e) {
                throw UserInputException.forKey(base + "amount", e.getMessage());
            }
            if (amount <= 0) {
                continue;
            }
            String vendor = conf.getOption(base + "vendor")
                    .orElseThrow(() -> UserInputException.forKey(base + "vendor",
                            "is required on Kubernetes for resource " + name + " (e.g. nvidia.com)"));
            limits.put(deviceName(base + "vendor", vendor, name), new Quantity(Integer.toString(amount)));
        }
        return limits;
    }

    /** {@code <vendor>/<name>}, checked as the API server checks resource names (it would refuse the pod otherwise). */
    static String deviceName(String what, String vendor, String name) {
        String device = vendor + "/" + name;
        if (!Names.isQualifiedName(device)) {
            throw UserInputException.forKey(what, "'" + device + "' is not a valid Kubernetes resource name (vendor domain '/' name,"
                    + " e.g. nvidia.com/gpu)");
        }
        return device;
    }
}
