package io.keisei.resource.kueue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.keisei.resource.config.ResourceConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Kueue Workloads of our trainer Jobs, watched under Kueue admission ({@code keisei.resources.admission=kueue}):
 * an informer keeps them current (re-listing by itself after a watch error), {@link #view()} gives the queues as they
 * stand for reads and queue passes, and each change of a Workload is handed on as a {@link WorkloadChanged}, one at a
 * time and off the informer's thread, for {@link KueueAdmissionSync} to apply. Nothing polls the API.
 */
@ApplicationScoped
public class KueueWorkloads {

    private static final Logger LOG = Logger.getLogger(KueueWorkloads.class);

    private final Instance<KubernetesClient> client;
    private final ResourceConfig config;
    private final Event<WorkloadChanged> changed;
    private final Map<String, WorkloadStatus> byName = new ConcurrentHashMap<>();
    private final ExecutorService apply = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kueue-workloads");
        t.setDaemon(true);
        return t;
    });
    private volatile KueueQueueView view = KueueQueueView.EMPTY;
    private SharedIndexInformer<GenericKubernetesResource> informer;

    public KueueWorkloads(Instance<KubernetesClient> client, ResourceConfig config, Event<WorkloadChanged> changed) {
        this.client = client;
        this.config = config;
        this.changed = changed;
    }

    public boolean enabled() {
        return config.admission() == ResourceConfig.Admission.KUEUE;
    }

    void onStart(@Observes StartupEvent ev) {
        if (!enabled()) {
            return;
        }
        if (config.mode() != ResourceConfig.Mode.KUBERNETES) {
            // Kueue admits Jobs on a cluster; on one host there is nothing for it to admit.
            throw new IllegalStateException("keisei.resources.admission=kueue needs keisei.resources.mode=kubernetes "
                    + "(KEISEI_RESOURCES_MODE=kubernetes)");
        }
        start();
    }

    /** Lists and starts watching; returns once the first listing is in the cache. */
    public synchronized void start() {
        if (informer != null) {
            return;
        }
        KubernetesClient k8s = client.get();
        String ns = config.kueue().namespace().filter(s -> !s.isBlank())
                .orElseGet(() -> k8s.getNamespace() == null ? "default" : k8s.getNamespace());
        String[] apiVersion = config.kueue().apiVersion().split("/", 2);
        ResourceDefinitionContext workloads = new ResourceDefinitionContext.Builder()
                .withGroup(apiVersion[0]).withVersion(apiVersion[1]).withKind("Workload").withPlural("workloads")
                .withNamespaced(true).build();
        informer = k8s.genericKubernetesResources(workloads).inNamespace(ns).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource w) {
                seen(w, false);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource w) {
                seen(w, false);
            }

            @Override
            public void onDelete(GenericKubernetesResource w, boolean finalStateUnknown) {
                seen(w, true);
            }
        }, config.kubernetes().informerResync().toMillis());
        LOG.infof("Kueue admission: watching the Workloads in namespace %s (%d found)", ns, byName.size());
    }

    @PreDestroy
    synchronized void close() {
        apply.shutdownNow();
        if (informer != null) {
            informer.close();
        }
    }

    /** Kueue's queues as they stand now. */
    public KueueQueueView view() {
        return view;
    }

    private void seen(GenericKubernetesResource w, boolean deleted) {
        String name = w.getMetadata().getName();
        Optional<WorkloadStatus> status = read(w);
        if (deleted || status.isEmpty()) {
            byName.remove(name);
        } else {
            byName.put(name, status.get());
        }
        view = new KueueQueueView(byName.values());
        if (!deleted && status.isPresent()) {
            WorkloadChanged change = new WorkloadChanged(status.get());
            apply.execute(() -> {
                try {
                    changed.fire(change);
                } catch (RuntimeException e) {
                    LOG.warnf("could not apply Kueue's decision on Workload %s: %s", name, e.getMessage());
                }
            });
        }
    }

    @SuppressWarnings("unchecked")
    static Optional<WorkloadStatus> read(GenericKubernetesResource w) {
        ObjectMeta m = w.getMetadata();
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("name", m.getName());
        metadata.put("creationTimestamp", m.getCreationTimestamp());
        Map<String, Object> extra = w.getAdditionalProperties();
        return WorkloadStatus.of(metadata, extra.get("spec") instanceof Map<?, ?> s ? (Map<String, Object>) s : null,
                extra.get("status") instanceof Map<?, ?> s ? (Map<String, Object>) s : null);
    }
}
