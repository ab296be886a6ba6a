package io.kspark.submit;

import io.kspark.k8s.DriverConf;
import io.kspark.k8s.DriverSpec;
import io.kspark.k8s.DriverSpecBuilder;
import io.kspark.k8s.IdGenerator;
import io.kspark.k8s.LocalEnvironment;

import java.time.Clock;

/**
 * spark-submit's whole preparation: arguments to conf, local-file uploads, driver steps, and the
 * final objects. Validation errors surface here, before anything is created.
 */
public final class SubmissionPlanner {

    private final LocalEnvironment env;
    private final IdGenerator ids;
    private final Clock clock;
    private final SubmissionCustomizer customizer;

    public SubmissionPlanner(LocalEnvironment env, IdGenerator ids, Clock clock, SubmissionCustomizer customizer) {
        this.env = env;
        this.ids = ids;
        this.clock = clock;
        this.customizer = customizer;
    }

    public SubmissionPlan plan(SubmitArguments args) {
        PreparedSubmission prepared = customizer.adjustConf(new SubmissionPreparer(env, clock).prepare(args));
        UploadPlanner.Result uploads = new UploadPlanner(ids).plan(prepared);
        PreparedSubmission resolved = uploads.submission();
        DriverConf conf = DriverConf.create(resolved.conf(), resolved.mainResource(), resolved.mainClass(), resolved.appArgs(),
                resolved.proxyUser(), ids, env);
        DriverSpec spec = DriverSpecBuilder.build(conf);
        DriverObjects objects = customizer.adjustObjects(conf, DriverObjectsFactory.create(conf, spec, ids));
        return new SubmissionPlan(resolved, uploads.plan(), conf, objects);
    }
}
