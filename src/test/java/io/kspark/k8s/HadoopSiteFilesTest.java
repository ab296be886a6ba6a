package io.kspark.k8s;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HadoopSiteFilesTest {

    @Test
    void readsPropertiesSkippingCommentsAndDecodingEntities() {
        String xml = """
                <?xml version="1.0"?>
                <configuration>
                  <!-- <property><name>hadoop.security.authentication</name><value>kerberos</value></property> -->
                  <property>
                    <name> fs.s3a.endpoint </name>
                    <value>http://minio:9000</value>
                    <description>the lab's MinIO</description>
                  </property>
                  <property><name>fs.s3a.secret.key</name><value>a&amp;b&lt;c</value><final>true</final></property>
                  <property><name>fs.s3a.endpoint</name><value>http://minio-2:9000</value></property>
                  <property><name>empty</name></property>
                </configuration>
                """;
        assertThat(HadoopSiteFiles.properties(xml)).containsExactly(Map.entry("fs.s3a.endpoint", "http://minio-2:9000"),
                Map.entry("fs.s3a.secret.key", "a&b<c"), Map.entry("empty", ""));
    }

    @Test
    void coreSiteComesFromHadoopConfDirOnly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("core-site.xml"), "<configuration><property><name>k</name><value>v</value></property></configuration>");
        assertThat(HadoopSiteFiles.coreSite(LocalEnvironment.of(Map.of("HADOOP_CONF_DIR", dir.toString())))).containsExactly(Map.entry("k", "v"));
        assertThat(HadoopSiteFiles.coreSite(LocalEnvironment.of(Map.of()))).isEmpty();
        assertThat(HadoopSiteFiles.coreSite(LocalEnvironment.of(Map.of("HADOOP_CONF_DIR", dir.resolve("missing").toString())))).isEmpty();
    }
}
