package sh.reform.shared.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the catalog's topics that do not exist yet, and leaves the others alone: running it
 * again, from any service or the launcher, changes nothing. It refuses to go on when an event
 * topic has a different partition count from the others, since co-partitioning is what keeps all
 * events of one cell in order.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /**
     * The catalog for the cluster {@code admin} talks to: replication min(3, brokers) and min ISR 2 when
     * that is 3 ({@link TopicCatalog#forBrokers}), the brokers counted with {@code describeCluster}. One
     * local broker gets 1 and 1, a 3-broker cluster 3 and 2.
     */
    public static TopicCatalog catalogFor(Admin admin, int eventPartitions) {
        try {
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            return TopicCatalog.forBrokers(eventPartitions, brokers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not describe the Kafka cluster: " + e.getMessage(), e);
        }
    }

    /** Creates the missing topics with 6 event partitions and the replication the cluster allows ({@link #catalogFor}). */
    public static List<String> ensure(Admin admin) {
        return ensure(admin, catalogFor(admin, TopicCatalog.singleBroker().eventPartitions()));
    }

    /** Returns the names of the topics it created. */
    public static List<String> ensure(Admin admin, TopicCatalog catalog) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = catalog.newTopics().stream().filter(t -> !existing.contains(t.name())).toList();
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                var result = admin.createTopics(missing);
                for (NewTopic t : missing) {
                    try {
                        result.values().get(t.name()).get(30, TimeUnit.SECONDS);
                        created.add(t.name());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
            }
            checkCoPartitioned(admin);
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the platform's topics: " + e.getMessage(), e);
        }
    }

    private static void checkCoPartitioned(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = Topics.EVENTS.stream().map(Topic::name).toList();
        Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        Map<Integer, List<String>> byCount = d.values().stream().collect(Collectors.groupingBy(
                td -> td.partitions().size(), Collectors.mapping(TopicDescription::name, Collectors.toList())));
        if (byCount.size() > 1) {
            throw new IllegalStateException("event topics are not co-partitioned (partition counts differ): "
                    + byCount + "; all of " + names + " need the same count");
        }
    }
}
