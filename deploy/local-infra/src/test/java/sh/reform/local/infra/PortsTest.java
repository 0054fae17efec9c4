package sh.reform.local.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsTest {

    @TempDir
    Path dataDir;

    @Test
    void freePortsAreDistinctAndFree() {
        int[] ports = Ports.freePorts(3);
        assertThat(ports).doesNotHaveDuplicates();
        for (int port : ports) {
            assertThat(Ports.isTaken(port)).isFalse();
        }
    }

    @Test
    void takenPortsAreRefusedWithTheOptionToChange() throws Exception {
        try (ServerSocket taken = listen()) {
            int port = taken.getLocalPort();
            assertThat(Ports.isTaken(port)).isTrue();

            assertThatThrownBy(() -> KafkaBroker.start(dataDir, port, 0))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessage("端口 " + port + " 已被占用 / port " + port + " is already in use — set --kafka-port");
            assertThatThrownBy(() -> KafkaBroker.start(dataDir, 0, port))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("port " + port + " is already in use — set --controller-port");
            assertThatThrownBy(() -> ApicurioRegistry.start(dataDir, port))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessage("端口 " + port + " 已被占用 / port " + port + " is already in use — set --registry-port");
        }
        assertThat(dataDir.resolve("logs")).doesNotExist(); // refused before anything started
    }

    private static ServerSocket listen() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(Ports.HOST), 0));
        return socket;
    }
}
