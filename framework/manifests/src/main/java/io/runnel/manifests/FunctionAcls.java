package io.runnel.manifests;

import io.runnel.manifests.internals.FunctionTopics;
import io.runnel.support.FunctionDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least-privilege ACLs of a function app's Kafka principal, derived from what its functions
 * declare, and nothing more: READ on each input topic and its retry topics; WRITE on each output,
 * dead-letter and retry topic; READ and WRITE on each keyed store's changelog ({@code
 * <group>-<store>-changelog}: written, read back on restore); READ on each global table; READ on
 * each function's consumer group; for an exactly-once function WRITE on the transactional ids with
 * the prefix {@code runnel-<group>-} (the runtime's id is {@code runnel-<group>-<instance-id>},
 * {@link FunctionDescriptor#transactionalIdPrefix()}); and WRITE on the usage topic when usage is
 * published. READ and WRITE imply DESCRIBE, which consumers, producers and the runtime's start-up
 * topic check need. The one source of the {@code KafkaUser} that {@code runnel manifests} writes,
 * and of what can be applied to a cluster through Kafka's Admin API ({@code Admin.createAcls}).
 */
public final class FunctionAcls {

  private FunctionAcls() {}

  /**
   * The ACLs {@code principal} (such as {@code User:orders-app}) needs to run {@code functions},
   * allowed from any host, without repeats.
   *
   * @param usageTopic the usage topic when the app publishes usage ({@code runnel.usage.topic}),
   *     empty when {@code runnel.usage.enabled} is false
   */
  public static List<AclBinding> of(
      String principal, Collection<FunctionDescriptor> functions, Optional<String> usageTopic) {
    Set<AclBinding> acls = new LinkedHashSet<>();
    for (FunctionDescriptor function : functions) {
      FunctionTopics topics = FunctionTopics.of(function);
      topics
          .read()
          .forEach(
              topic -> acls.add(allow(principal, ResourceType.TOPIC, topic, AclOperation.READ)));
      topics
          .written()
          .forEach(
              topic -> acls.add(allow(principal, ResourceType.TOPIC, topic, AclOperation.WRITE)));
      for (String changelog : topics.changelogs()) {
        acls.add(allow(principal, ResourceType.TOPIC, changelog, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TOPIC, changelog, AclOperation.WRITE));
      }
      topics
          .globalTables()
          .forEach(
              topic -> acls.add(allow(principal, ResourceType.TOPIC, topic, AclOperation.READ)));
      acls.add(allow(principal, ResourceType.GROUP, function.group(), AclOperation.READ));
      if (function.exactlyOnce()) {
        acls.add(
            new AclBinding(
                new ResourcePattern(
                    ResourceType.TRANSACTIONAL_ID,
                    function.transactionalIdPrefix(),
                    PatternType.PREFIXED),
                entry(principal, AclOperation.WRITE)));
      }
    }
    usageTopic.ifPresent(
        topic -> acls.add(allow(principal, ResourceType.TOPIC, topic, AclOperation.WRITE)));
    return new ArrayList<>(acls);
  }

  private static AclBinding allow(
      String principal, ResourceType type, String name, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, PatternType.LITERAL), entry(principal, operation));
  }

  private static AccessControlEntry entry(String principal, AclOperation operation) {
    return new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW);
  }
}
