package io.kspark.submit.s3;

import java.net.URI;
import java.util.Optional;

/** Where an upload's keys come from: given outright, or fetched (by {@link CredentialFetcher}) when the upload starts. */
public sealed interface CredentialSource {

    /** Keys from the options or the environment, or anonymous. */
    record Keys(S3Credentials credentials) implements CredentialSource {
    }

    /**
     * STS {@code AssumeRoleWithWebIdentity} with a projected service-account token (EKS IAM roles for service accounts).
     *
     * @param sts the STS endpoint (regional when a region is known, {@code AWS_ENDPOINT_URL_STS} when set)
     */
    record WebIdentity(String roleArn, String tokenFile, String sessionName, URI sts) implements CredentialSource {
    }

    /** The EC2 instance metadata service (IMDSv2: a session token first), for the instance profile's role. */
    record InstanceMetadata(URI endpoint) implements CredentialSource {
    }

    /** The container credentials endpoint (EKS Pod Identity, ECS), with its authorization token if one is given. */
    record Container(URI endpoint, Optional<String> authorizationTokenFile, Optional<String> authorizationToken) implements CredentialSource {
    }
}
