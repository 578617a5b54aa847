import { connectivityState, experimental, type ChannelOptions } from '@grpc/grpc-js';

/*
 * A channel without a network, for driving LB policies and their pickers
 * directly (as grpc-js's own LB tests do): createSubchannel hands out fake
 * subchannels whose state the bench sets, and updateState keeps the latest picker.
 */

type Listener = experimental.ConnectivityStateListener;

/** A subchannel that never connects anywhere: its state is whatever `setState` says. */
export class FakeSubchannel implements experimental.SubchannelInterface {
  private readonly listeners = new Set<Listener>();
  private readonly healthListeners = new Set<experimental.HealthListener>();
  private static nextId = 1;
  private readonly ref_: { kind: 'subchannel'; id: number; name: string };

  constructor(
    private readonly address: string,
    private state: connectivityState,
  ) {
    this.ref_ = { kind: 'subchannel', id: FakeSubchannel.nextId++, name: address };
  }

  setState(next: connectivityState): void {
    const previous = this.state;
    if (previous === next) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener(this, previous, next, 0);
  }

  getConnectivityState(): connectivityState {
    return this.state;
  }
  addConnectivityStateListener(listener: Listener): void {
    this.listeners.add(listener);
  }
  removeConnectivityStateListener(listener: Listener): void {
    this.listeners.delete(listener);
  }
  startConnecting(): void {
    // The bench decides when a fake connects.
  }
  getAddress(): string {
    return this.address;
  }
  throttleKeepalive(): void {}
  ref(): void {}
  unref(): void {}
  getChannelzRef(): ReturnType<experimental.SubchannelInterface['getChannelzRef']> {
    return this.ref_ as unknown as ReturnType<experimental.SubchannelInterface['getChannelzRef']>;
  }
  isHealthy(): boolean {
    return true;
  }
  addHealthStateWatcher(listener: experimental.HealthListener): void {
    this.healthListeners.add(listener);
  }
  removeHealthStateWatcher(listener: experimental.HealthListener): void {
    this.healthListeners.delete(listener);
  }
  addDataWatcher(): void {}
  getRealSubchannel(): ReturnType<experimental.SubchannelInterface['getRealSubchannel']> {
    return this as unknown as ReturnType<experimental.SubchannelInterface['getRealSubchannel']>;
  }
  realSubchannelEquals(other: experimental.SubchannelInterface): boolean {
    return other === this;
  }
  getCallCredentials(): ReturnType<experimental.SubchannelInterface['getCallCredentials']> {
    throw new Error('a fake subchannel carries no calls');
  }
  getChannel(): ReturnType<experimental.SubchannelInterface['getChannel']> {
    throw new Error('a fake subchannel carries no calls');
  }
}

/** The ChannelControlHelper a policy under bench talks to. */
export class FakeChannelHelper implements experimental.ChannelControlHelper {
  readonly subchannels: FakeSubchannel[] = [];
  state: connectivityState = connectivityState.IDLE;
  picker: experimental.Picker | undefined;

  /** `initial`: the state every new fake subchannel starts in (READY: connected at once); a test may change it (CONNECTING: an endpoint that stays down). */
  constructor(public initial: connectivityState = connectivityState.READY) {}

  createSubchannel(address: experimental.SubchannelAddress, _options: ChannelOptions): experimental.SubchannelInterface {
    const subchannel = new FakeSubchannel(experimental.subchannelAddressToString(address), this.initial);
    this.subchannels.push(subchannel);
    return subchannel;
  }
  updateState(state: connectivityState, picker: experimental.Picker): void {
    this.state = state;
    this.picker = picker;
  }
  requestReresolution(): void {}
  addChannelzChild(): void {}
  removeChannelzChild(): void {}
}
