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
                resourceService = PackagedService.start("resource-service", "KEISEI_RESOURCE_PORT", Map.of());
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
