package io.kspark.k8s.steps;

import io.kspark.k8s.HadoopSiteFiles;
import io.kspark.k8s.LocalEnvironment;

/** Whether the submitter's Hadoop configuration asks for Kerberos ({@code hadoop.security.authentication}). */
final class HadoopSecurity {

    private HadoopSecurity() {
    }

    static boolean isKerberosEnabled(LocalEnvironment env) {
        return HadoopSiteFiles.coreSite(env).getOrDefault("hadoop.security.authentication", "").equalsIgnoreCase("kerberos");
    }
}
