package org.blora.spark.persistent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The round server's door: a connection that answers the challenge with another run's secret is refused, logged in
 * one line, and closed without an event; the right answer connects the task.
 */
class RoundServerTest {
    /** Connects, answers the challenge with {@code key}'s HMAC for task 0 of stage 0, and returns the socket. */
    private static Socket hello(int port, RunSecret key) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(30_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        int n = in.readInt();
        assertEquals(1 + RunSecret.NONCE_BYTES, n);
        assertEquals(WireCodec.CHALLENGE, in.readByte());
        byte[] nonce = new byte[RunSecret.NONCE_BYTES];
        in.readFully(nonce);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(b);
        h.writeByte(WireCodec.HELLO);
        h.writeInt(0);
        h.writeInt(0);
        h.write(key.answer(nonce, 0, 0));
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(b.size());
        b.writeTo(out);
        out.flush();
        return s;
    }

    @Test
    void aWrongSecretIsRefusedAndLoggedTheRightOneConnects() throws Exception {
        RunSecret secret = RunSecret.draw();
        List<String> log = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<RoundServer.Event> events = new LinkedBlockingQueue<>();
        try (RoundServer server = new RoundServer("127.0.0.1", secret, log::add, events)) {
            server.expect(0, 1);
            try (Socket stranger = hello(server.port(), RunSecret.draw())) {
                assertEquals(-1, stranger.getInputStream().read(), "the server closes a connection with a wrong secret");
            }
            assertEquals(1, log.size(), log.toString());
            assertTrue(log.get(0).startsWith("[rounds] refused a connection from /127.0.0.1:")
                    && log.get(0).endsWith(": wrong secret"), log.get(0));
            assertEquals(0, events.size(), "a refused connection is no task");
            try (Socket task = hello(server.port(), secret)) {
                RoundServer.Event e = events.poll(30, TimeUnit.SECONDS);
                assertNotNull(e);
                assertEquals(RoundServer.Event.Kind.CONNECTED, e.kind());
                assertEquals(0, e.task());
                server.sendAll(new byte[] {WireCodec.STOP});
                DataInputStream in = new DataInputStream(task.getInputStream());
                assertEquals(1, in.readInt());
                assertEquals(WireCodec.STOP, in.readByte());
            }
            assertEquals(1, log.size(), log.toString());
        }
    }
}
