package io.kato.gateway.registry;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.kato.proto.v1.DeregisterResponse;
import io.kato.proto.v1.HeartbeatResponse;
import io.kato.proto.v1.RegisterResponse;
import io.kato.proto.v1.RegistryGrpcService;
import io.kato.proto.v1.RegistryProto;
import io.kato.proto.v1.WorkerRecord;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;
import java.util.Base64;
import java.util.function.Function;

/**
 * The {@code kato.v1.Registry} gRPC service (registry.proto), served on the gateway's HTTP port.
 * Registry work is in-memory and quick, so it runs on the event loop. Failures carry an
 * {@code ErrorInfo} whose reason is the API error code, as on the worker.
 */
public final class RegistryGrpcEndpoint implements Service {
  private final WorkerRegistry registry;

  public RegistryGrpcEndpoint(WorkerRegistry registry) {
    this.registry = registry;
  }

  @Override
  public ServiceName name() {
    return RegistryGrpcService.SERVICE_NAME;
  }

  @Override
  public com.google.protobuf.Descriptors.ServiceDescriptor descriptor() {
    return RegistryProto.getDescriptor().findServiceByName("Registry");
  }

  @Override
  public void bind(GrpcServer server) {
    unary(server, RegistryGrpcService.Register, r -> RegisterResponse.newBuilder()
        .setWorker(record(registry.register(r, false)))
        .setHeartbeatIntervalMs(registry.heartbeatInterval().toMillis()).build());
    unary(server, RegistryGrpcService.Heartbeat, r -> {
      Worker w = registry.heartbeat(r.getWorkerId(), r.getGeneration());
      return HeartbeatResponse.newBuilder().setStatus("okay").setWorkerId(w.workerId())
          .setState(w.state().wireName()).setGeneration(w.generation()).build();
    });
    unary(server, RegistryGrpcService.Deregister, r -> {
      registry.deregister(r.getWorkerId());
      return DeregisterResponse.newBuilder().setStatus("deregistered").setWorkerId(r.getWorkerId()).build();
    });
  }

  /** The record as registration answers it; node counts are shown by {@code GET /workers}. */
  static WorkerRecord record(Worker w) {
    return WorkerRecord.newBuilder().setWorkerId(w.workerId).setTransport(w.transportKind)
        .setGrpcAddress(w.grpcAddress).setZmqAddress(w.zmqAddress).setCapacity(w.capacity)
        .addAllProcessors(w.processors).setExclusive(w.exclusive).putAllLabels(w.labels).setVersion(w.version)
        .setState(w.state.wireName()).setRegisteredAt(io.kato.common.Timestamps.eventTime(w.registeredAt))
        .setLastHeartbeat(io.kato.common.Timestamps.eventTime(w.lastHeartbeat))
        .setMissedHeartbeats(w.missedHeartbeats).setGeneration(w.generation)
        .setStatic(w.isStatic).build();
  }

  private <Req, Resp> void unary(GrpcServer server, ServiceMethod<Req, Resp> method, Function<Req, Resp> call) {
    server.callHandler(method, request -> request.handler(message -> {
      try {
        request.response().end(call.apply(message));
      } catch (RegistryException e) {
        fail(request.response(), e);
      }
    }));
  }

  private static void fail(GrpcServerResponse<?, ?> response, RegistryException e) {
    GrpcStatus status = GrpcStatus.valueOf(e.code().grpcStatus());
    ErrorInfo info = ErrorInfo.newBuilder().setReason(e.code().name()).setDomain("kato.v1").build();
    com.google.rpc.Status details = com.google.rpc.Status.newBuilder().setCode(status.code).setMessage(e.getMessage())
        .addDetails(Any.pack(info)).build();
    response.status(status);
    response.statusMessage(e.getMessage());
    response.trailers().set("grpc-status-details-bin",
        Base64.getEncoder().withoutPadding().encodeToString(details.toByteArray()));
    response.end();
  }
}
