package io.runnel.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real Kafka broker and the dev schema registry, with a Micronaut
 * context running the functions on the test classpath. Test methods (and {@code @BeforeAll} /
 * {@code @BeforeEach} methods) may take a {@link RunnelTestKit} or the {@code ApplicationContext}
 * as parameters.
 *
 * <p>One broker and registry serve all test classes of a JVM; each class gets its own context. The
 * broker runs in the test JVM (KRaft); with {@code -Drunnel.test.kafka=testcontainers} (or {@code
 * auto}, which uses Docker when a Docker engine answers) it runs in a container instead, given
 * {@code org.testcontainers:kafka} as a test dependency. The functions run by the project's own
 * runtime dependency: the kit brings none.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RunnelExtension.class)
public @interface RunnelTest {

  /** Extra configuration for the context, as {@code key=value}. */
  String[] properties() default {};

  /**
   * Broker settings as {@code key=value} (for example {@code auto.create.topics.enable=false}, as
   * on most managed clusters): the class then gets a broker and registry of its own, in this JVM,
   * instead of the shared ones.
   */
  String[] brokerProperties() default {};

  /** Whether to start the context at all; false gives a broker and registry only. */
  boolean startContext() default true;
}
