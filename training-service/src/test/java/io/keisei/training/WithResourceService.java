package io.keisei.training;

import io.keisei.testsupport.KeiseiInfraResource;
import io.keisei.testsupport.PackagedService;

import java.util.HashMap;
import java.util.Map;

/**
 * Real PostgreSQL and Redis plus a real resource-service process (its packaged jar), so
 * training-service's allocations go through the actual admission logic.
 */
public class WithResourceService extends KeiseiInfraResource {

    private static PackagedService resourceService;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        synchronized (WithResourceService.class) {
            if (resourceService == null) {
                // No per-role quotas: these tests start more sessions at once than a trainer's quota allows. Viewers
                // keep theirs (none): a session owned by a viewer must be refused by role.
                Map<String, String> env = new HashMap<>();
                for (String role : new String[]{"ADMIN", "TRAINER", "RESEARCHER"}) {
                    env.put("KEISEI_RESOURCES_QUOTAS_" + role + "_CONCURRENT_SESSIONS", "-1");
                    env.put("KEISEI_RESOURCES_QUOTAS_" + role + "_GPU_HOURS_PER_DAY", "-1");
                }
                resourceService = PackagedService.start("resource-service", "KEISEI_RESOURCE_PORT", env);
                Runtime.getRuntime().addShutdownHook(new Thread(resourceService::close));
            }
        }
        config.put("keisei.training.resource-service.url", resourceService.url());
        return config;
    }

    public static String resourceServiceUrl() {
        return resourceService.url();
    }
}
