package io.runnel.support;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which process this is, under {@code runnel.runtime}: the instance id that names this process in
 * transactional ids, client ids and reply topics, for the function runtime and connectors alike.
 */
@ConfigurationProperties("runnel.runtime")
public class InstanceSettings {

  private String instanceId;

  /**
   * {@code runnel.runtime.instance-id}: names this instance in the transactional ids of
   * exactly-once functions and the scheduler, and in connectors' client ids and reply topics; it
   * must differ between instances running at once and stay the same across a restart (a StatefulSet
   * pod name). Defaults to the host name.
   */
  public String getInstanceId() {
    if (instanceId == null || instanceId.isBlank()) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        throw new ConfigurationException(
            "runnel.runtime.instance-id is not set and the host name is unknown: set it");
      }
    }
    return instanceId;
  }

  public void setInstanceId(String instanceId) {
    this.instanceId = instanceId;
  }
}
