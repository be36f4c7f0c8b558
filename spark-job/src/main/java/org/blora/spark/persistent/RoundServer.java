package org.blora.spark.persistent;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The driver's end of the persistent rounds: a Netty server (the Netty Spark ships) bound to the driver's address
 * on a free port. Frames are a 4-byte length and a body ({@link WireCodec}). A connection first gets a fresh nonce
 * and must answer it with the run secret's HMAC ({@link RunSecret}) for the current stage generation and a task
 * index not yet connected; anything else is refused, logged in one line, and closed. An authenticated task's frames
 * and the loss of its connection become {@link Event}s on the queue the round loop reads, in arrival order.
 */
final class RoundServer implements AutoCloseable {
    /** What happened on a connection: a task connected, sent a frame, or was lost; or the stage's job ended. */
    record Event(Kind kind, int generation, int task, byte[] frame, String why) {
        enum Kind { CONNECTED, FRAME, LOST, ENDED }
    }

    /** How long a connection may take to prove it holds the secret. */
    private static final long HELLO_TIMEOUT_MS = 30_000;

    private final RunSecret secret;
    private final Consumer<String> log;
    private final BlockingQueue<Event> events;
    private final EventLoopGroup group;
    private final Channel server;
    private final ConcurrentHashMap<Integer, Channel> tasks = new ConcurrentHashMap<>();
    /** The launch whose tasks may connect, and how many it has (guarded by this). */
    private int generation = -1;
    private int expectedTasks;

    RoundServer(String bindHost, RunSecret secret, Consumer<String> log, BlockingQueue<Event> events) {
        this.secret = secret;
        this.log = log;
        this.events = events;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(WireCodec.MAX_FRAME, 0, 4, 0, 4),
                                    new LengthFieldPrepender(4), new Connection());
                        }
                    }).bind(bindHost, 0).sync().channel();
        } catch (InterruptedException e) {
            group.shutdownGracefully();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the round server", e);
        } catch (RuntimeException e) {
            group.shutdownGracefully();
            throw new IllegalStateException("run.rounds=persistent could not listen on " + bindHost + ": " + e, e);
        }
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** From now on only tasks 0 .. tasks-1 of this generation may connect; older connections are closed. */
    void expect(int generation, int tasks) {
        synchronized (this) {
            this.expectedTasks = tasks;
            this.generation = generation;
        }
        // After the switch: a task of an older launch that registered just before it is closed here.
        closeAll();
    }

    /** Sends one frame (type byte and body) to every connected task of the current generation. */
    void sendAll(byte[] frame) {
        for (Channel c : tasks.values()) {
            c.writeAndFlush(Unpooled.wrappedBuffer(frame));
        }
    }

    /** Closes every task's connection: their tasks read the end of the stream and return. */
    void closeAll() {
        for (Channel c : tasks.values()) {
            c.close();
        }
        tasks.clear();
    }

    @Override
    public void close() {
        closeAll();
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    /** One connection: unauthenticated until its HELLO proves the secret, then a task's frames. */
    private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
        private byte[] nonce;
        private int task = -1;
        private int gen = -1;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            nonce = RunSecret.nonce();
            byte[] f = new byte[1 + nonce.length];
            f[0] = WireCodec.CHALLENGE;
            System.arraycopy(nonce, 0, f, 1, nonce.length);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(f));
            ctx.executor().schedule(() -> {
                if (task < 0 && ctx.channel().isActive()) {
                    refuse(ctx, "no answer to the challenge within " + HELLO_TIMEOUT_MS / 1000 + " s");
                }
            }, HELLO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            byte[] frame = ByteBufUtil.getBytes(msg);
            if (task >= 0) {
                events.add(new Event(Event.Kind.FRAME, gen, task, frame, null));
                return;
            }
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame));
                if (in.readByte() != WireCodec.HELLO) {
                    refuse(ctx, "it did not start with the answer to the challenge");
                    return;
                }
                int g = in.readInt();
                int t = in.readInt();
                byte[] answer = new byte[RunSecret.MAC_BYTES];
                in.readFully(answer);
                if (!secret.accepts(nonce, g, t, answer)) {
                    refuse(ctx, "wrong secret");
                    return;
                }
                String why = null;
                synchronized (RoundServer.this) {
                    if (g != generation || t < 0 || t >= expectedTasks) {
                        why = "task " + t + " of stage " + g + ", the run now waits for stage " + generation;
                    } else if (tasks.putIfAbsent(t, ctx.channel()) != null) {
                        why = "task " + t + " of stage " + g + " is connected already";
                    }
                }
                if (why != null) {
                    refuse(ctx, why);
                    return;
                }
                task = t;
                gen = g;
                events.add(new Event(Event.Kind.CONNECTED, g, t, null, null));
            } catch (IOException e) {
                refuse(ctx, "a malformed answer to the challenge");
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (task >= 0) {
                tasks.remove(task, ctx.channel());
                events.add(new Event(Event.Kind.LOST, gen, task, null, "its connection closed"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (task >= 0) {
                events.add(new Event(Event.Kind.LOST, gen, task, null, String.valueOf(cause)));
            }
            ctx.close();
        }

        private void refuse(ChannelHandlerContext ctx, String why) {
            log.accept("[rounds] refused a connection from " + ctx.channel().remoteAddress() + ": " + why);
            ctx.close();
        }
    }
}
