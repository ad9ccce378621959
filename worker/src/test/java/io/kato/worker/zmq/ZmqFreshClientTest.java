package io.kato.worker.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.kato.common.msgpack.MessagePackCodec;
import io.kato.worker.host.HostOptions;
import io.kato.worker.host.ProcessorHost;
import io.kato.worker.storage.MemoryNodeStore;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Every fresh REQ client gets an answer to its first request, also when it connects a while after
 * the endpoint bound. JeroMQ 0.6.0 lost a few percent of such first requests (hence 0.5.4).
 */
class ZmqFreshClientTest {

  @Test
  void everyFreshClientsFirstRequestIsAnswered() throws Exception {
    int unanswered = 0;
    for (int i = 0; i < 30; i++) {
      try (ProcessorHost host = new ProcessorHost(HostOptions.defaults(), new MemoryNodeStore(), Clock.systemUTC());
          ZmqEndpoint endpoint = ZmqEndpoint.start(host, ZmqEndpoint.Options.defaults().withBind("127.0.0.1", 0));
          ZContext clients = new ZContext(1)) {
        Thread.sleep(i % 3 == 0 ? 100 : 0);
        ZMQ.Socket req = clients.createSocket(SocketType.REQ);
        req.setReceiveTimeOut(2000);
        req.setLinger(0);
        req.connect("tcp://127.0.0.1:" + endpoint.port());
        req.send(MessagePackCodec.encode(Map.of("method", "ping")));
        if (req.recv() == null) {
          unanswered++;
        }
      }
    }
    assertThat(unanswered).isZero();
  }
}
