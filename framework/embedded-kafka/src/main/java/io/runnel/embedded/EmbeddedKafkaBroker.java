package io.runnel.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker (KRaft, one node acting as broker and controller) running in this JVM.
 *
 * <p>Used by dev mode and by the test kit. Its log directory is formatted on first start and kept
 * afterwards, so a broker started again on the same directory finds its topics and offsets. Port 0
 * picks a free port.
 *
 * <p>By default clients connect in plaintext and may do anything. {@link #startSecured} starts it
 * as a locked-down cluster is run instead: clients authenticate with SASL/SCRAM-SHA-512, and the
 * {@code StandardAuthorizer} allows only what ACLs grant, to a super user everything.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** The SASL mechanism of a secured broker's client listener. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  private static final String SECURED_LISTENER = "SASL_PLAINTEXT";

  private final Path logDir;
  private final int port;
  private final KafkaRaftServer server;
  // What the broker's own admin client connects with: the super user on a secured broker.
  private final Map<String, Object> superUserClient;

  private EmbeddedKafkaBroker(
      Path logDir, int port, KafkaRaftServer server, Map<String, Object> superUserClient) {
    this.logDir = logDir;
    this.port = port;
    this.server = server;
    this.superUserClient = superUserClient;
  }

  /**
   * Formats {@code logDir} if it holds no broker yet, then starts the broker and waits until it
   * answers to clients.
   *
   * @param logDir where the broker keeps its data; created when missing
   * @param port the client port, or 0 for a free one
   */
  public static EmbeddedKafkaBroker start(Path logDir, int port) {
    return start(logDir, port, Map.of());
  }

  /**
   * Like {@link #start(Path, int)}, with broker settings that replace or add to the defaults, for
   * example {@code auto.create.topics.enable=false} to behave like most managed clusters.
   */
  public static EmbeddedKafkaBroker start(
      Path logDir, int port, Map<String, String> brokerProperties) {
    int clientPort = port == 0 ? freePort() : port;
    return start(
        logDir,
        "PLAINTEXT",
        clientPort,
        brokerProperties,
        Map.of(),
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + clientPort),
        List.of());
  }

  /**
   * Like {@link #start(Path, int, Map)}, secured: the client listener takes SASL_PLAINTEXT with
   * {@value #SCRAM_MECHANISM} only, {@code org.apache.kafka.metadata.authorizer.StandardAuthorizer}
   * checks every request, and what no ACL allows is denied ({@code
   * allow.everyone.if.no.acl.found=false}). {@code superUser} may do anything: the broker and its
   * controller talk to each other as it (its SCRAM credential is written when the log directory is
   * formatted, since the broker needs it before it can serve anything), and {@link #createTopics},
   * {@link #createScramUser} and {@link #createAcls} use it. Other users are created with {@link
   * #createScramUser} and connect with {@link #clientProperties}.
   */
  public static EmbeddedKafkaBroker startSecured(
      Path logDir,
      int port,
      String superUser,
      String superUserPassword,
      Map<String, String> brokerProperties) {
    int clientPort = port == 0 ? freePort() : port;
    Map<String, String> security = new HashMap<>();
    security.put(
        "listener.security.protocol.map",
        SECURED_LISTENER + ":SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    security.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
    String listenerPrefix = "listener.name.sasl_plaintext";
    security.put(listenerPrefix + ".sasl.enabled.mechanisms", SCRAM_MECHANISM);
    security.put(
        listenerPrefix + ".scram-sha-512.sasl.jaas.config",
        jaasConfig(ScramLoginModule.class, superUser, superUserPassword, ""));
    // SCRAM credentials live in the metadata the controller serves, so the controller listener
    // cannot use SCRAM: PLAIN with the super user as its only user.
    security.put("sasl.mechanism.controller.protocol", "PLAIN");
    security.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    security.put(
        "listener.name.controller.plain.sasl.jaas.config",
        jaasConfig(
            PlainLoginModule.class,
            superUser,
            superUserPassword,
            " user_" + superUser + "=\"" + superUserPassword + "\""));
    security.put(
        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    security.put("super.users", "User:" + superUser);
    security.put("allow.everyone.if.no.acl.found", "false");
    return start(
        logDir,
        SECURED_LISTENER,
        clientPort,
        brokerProperties,
        security,
        scramClient("localhost:" + clientPort, superUser, superUserPassword),
        List.of(SCRAM_MECHANISM + "=[name=" + superUser + ",password=" + superUserPassword + "]"));
  }

  private static EmbeddedKafkaBroker start(
      Path logDir,
      String clientListener,
      int clientPort,
      Map<String, String> brokerProperties,
      Map<String, String> security,
      Map<String, Object> superUserClient,
      List<String> bootstrapScramCredentials) {
    int controllerPort = freePort();
    try {
      Files.createDirectories(logDir);
      Properties props = brokerProperties(logDir, clientListener, clientPort, controllerPort);
      props.putAll(security);
      props.putAll(brokerProperties);
      KafkaConfig config = new KafkaConfig(props, false);
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(logDir, bootstrapScramCredentials);
      }
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      EmbeddedKafkaBroker broker =
          new EmbeddedKafkaBroker(logDir, clientPort, server, superUserClient);
      broker.awaitReady();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare the Kafka log directory " + logDir, e);
    }
  }

  private static String jaasConfig(
      Class<?> loginModule, String user, String password, String options) {
    return loginModule.getName()
        + " required username=\""
        + user
        + "\" password=\""
        + password
        + "\""
        + options
        + ";";
  }

  private static Map<String, Object> scramClient(
      String bootstrapServers, String user, String password) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
        SecurityProtocol.SASL_PLAINTEXT.name,
        SaslConfigs.SASL_MECHANISM,
        SCRAM_MECHANISM,
        SaslConfigs.SASL_JAAS_CONFIG,
        jaasConfig(ScramLoginModule.class, user, password, ""));
  }

  private static Properties brokerProperties(
      Path logDir, String clientListener, int clientPort, int controllerPort) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    props.put(
        "listeners",
        clientListener
            + "://localhost:"
            + clientPort
            + ",CONTROLLER://localhost:"
            + controllerPort);
    props.put("advertised.listeners", clientListener + "://localhost:" + clientPort);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", clientListener);
    props.put("log.dirs", logDir.toAbsolutePath().toString());
    // One node: internal topics cannot have more than one replica.
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", "1");
    props.put("auto.create.topics.enable", "true");
    props.put("log.flush.interval.messages", "1");
    return props;
  }

  private static void format(Path logDir, List<String> scramCredentials) {
    try {
      new Formatter()
          .setScramArguments(scramCredentials)
          .setPrintStream(System.out)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setNodeId(NODE_ID)
          .setClusterId(org.apache.kafka.common.Uuid.randomUuid().toString())
          .addDirectory(logDir.toAbsolutePath().toString())
          .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.latestProduction())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot format the Kafka log directory " + logDir, e);
    }
  }

  private void awaitReady() {
    try (Admin admin = Admin.create(superUserClient)) {
      awaitUntil(
          "Kafka broker on port " + port + " did not become ready",
          () -> admin.describeCluster().nodes().get(5, TimeUnit.SECONDS));
    }
  }

  private interface Attempt {
    void run() throws Exception;
  }

  /** Repeats {@code attempt}, a tenth of a second apart, until it passes; a minute at most. */
  private static void awaitUntil(String failure, Attempt attempt) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      try {
        attempt.run();
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted: " + failure, e);
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(failure, e);
        }
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
    }
  }

  /** The {@code bootstrap.servers} value for clients of this broker. */
  public String bootstrapServers() {
    return "localhost:" + port;
  }

  /** The port clients connect to. */
  public int port() {
    return port;
  }

  /** Where the broker keeps its data. */
  public Path logDir() {
    return logDir;
  }

  /** Creates the topics that do not exist yet. */
  public void createTopics(Set<NewTopic> topics) {
    try (Admin admin = Admin.create(superUserClient)) {
      for (NewTopic topic : topics) {
        try {
          admin.createTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("Cannot create topic " + topic.name(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out creating topics", e);
    }
  }

  /**
   * Creates (or changes the password of) a {@value #SCRAM_MECHANISM} user of a {@link #startSecured
   * secured} broker, and waits until the broker lets it authenticate.
   */
  public void createScramUser(String user, String password) {
    try (Admin admin = Admin.create(superUserClient)) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating user " + user, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create user " + user, e);
    }
    // The controller has it; the broker learns it from the metadata log a moment later.
    try (Admin asUser = Admin.create(clientProperties(user, password))) {
      awaitUntil(
          "User " + user + " cannot authenticate",
          () -> asUser.describeCluster().nodes().get(5, TimeUnit.SECONDS));
    }
  }

  /**
   * The Kafka client properties (bootstrap servers, SASL_PLAINTEXT, {@value #SCRAM_MECHANISM}, the
   * JAAS login) with which {@code user} connects to a {@link #startSecured secured} broker.
   */
  public Map<String, Object> clientProperties(String user, String password) {
    return scramClient(bootstrapServers(), user, password);
  }

  /**
   * Creates {@code acls} as the super user and waits until the broker enforces them all (the
   * controller stores them; the broker's authorizer learns them from the metadata log).
   */
  public void createAcls(Collection<AclBinding> acls) {
    try (Admin admin = Admin.create(superUserClient)) {
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
      awaitUntil(
          "The broker does not enforce the ACLs " + acls,
          () -> {
            if (!new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get())
                .containsAll(acls)) {
              throw new IllegalStateException("not yet");
            }
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating ACLs", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create the ACLs " + acls, e);
    }
  }

  /** Stops the broker and waits until it has shut down; the data stays on disk. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port", e);
    }
  }
}
