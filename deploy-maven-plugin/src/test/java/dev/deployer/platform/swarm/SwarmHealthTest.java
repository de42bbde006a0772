package dev.deployer.platform.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.SwarmNodeStatus;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which tasks count: those on ready nodes (SwarmNodeLossIT shows why on a real Swarm). */
class SwarmHealthTest {

    private static Task running(String id, String node) {
        return new Task().withId(id).withNodeId(node).withDesiredState(TaskState.RUNNING)
                .withStatus(new TaskStatus().withState(TaskState.RUNNING));
    }

    private static SwarmNode node(String id, SwarmNodeState state) {
        return new SwarmNode().withId(id).withStatus(new SwarmNodeStatus().withState(state));
    }

    @Test
    void tasksOnALostNodeAreLeftOutAndUnassignedOnesStay() {
        List<Task> tasks = List.of(running("on-ready", "n1"), running("on-lost", "n2"), running("unassigned", null),
                running("on-disconnected", "n3"));
        List<SwarmNode> nodes = List.of(node("n1", SwarmNodeState.READY), node("n2", SwarmNodeState.DOWN),
                node("n3", SwarmNodeState.DISCONNECTED));

        assertEquals(List.of("on-ready", "unassigned"), SwarmHealth.onReadyNodes(tasks, nodes).stream().map(Task::getId).toList());
    }

    @Test
    void allNodesReadyKeepsEveryTask() {
        List<Task> tasks = List.of(running("a", "n1"), running("b", "n2"));
        assertEquals(tasks, SwarmHealth.onReadyNodes(tasks, List.of(node("n1", SwarmNodeState.READY), node("n2", SwarmNodeState.READY))));
    }
}
