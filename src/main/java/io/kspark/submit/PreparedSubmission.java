package io.kspark.submit;

import io.kspark.conf.SparkConf;
import io.kspark.k8s.MainResource;

import java.util.List;
import java.util.Optional;

/**
 * A submission after spark-submit's preparation: the complete conf the driver will get and the
 * driver command, plus warnings for the user.
 */
public record PreparedSubmission(SparkConf conf,
                                 MasterUrl master,
                                 MainResource mainResource,
                                 String mainClass,
                                 List<String> appArgs,
                                 Optional<String> proxyUser,
                                 List<String> warnings) {

    public PreparedSubmission {
        appArgs = List.copyOf(appArgs);
        warnings = List.copyOf(warnings);
    }

    public PreparedSubmission withConf(SparkConf newConf, MainResource newResource) {
        return new PreparedSubmission(newConf, master, newResource, mainClass, appArgs, proxyUser, warnings);
    }
}
