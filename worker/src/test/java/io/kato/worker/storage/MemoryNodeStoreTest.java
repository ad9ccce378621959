package io.kato.worker.storage;

class MemoryNodeStoreTest extends NodeStoreContractTest {
  @Override
  protected NodeStore openStore() {
    return new MemoryNodeStore();
  }

  @Override
  protected NodeStore reopen(NodeStore closed) {
    throw new UnsupportedOperationException("the memory store keeps nothing across a close");
  }

  @Override
  protected boolean durable() {
    return false;
  }
}
