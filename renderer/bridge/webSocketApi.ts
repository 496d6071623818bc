// The browser's WebSocket as the bridge's socket (shared/bridgeSocket.ts does the rest). The token
// travels as an HttpOnly cookie set when the page was first loaded, so scripts never see it.
import { SocketBridge, type OpenSocket } from '../../shared/bridgeSocket';
import { BRIDGE_PATH } from '../../shared/wire';

export type { ConnectionListener } from '../../shared/bridgeSocket';

export function browserSocket(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_PATH}`): OpenSocket {
  return (handlers) => {
    const socket = new WebSocket(url);
    socket.onopen = () => handlers.open();
    socket.onmessage = (event) => handlers.message(String(event.data));
    socket.onclose = () => handlers.close();
    return { send: (text) => socket.send(text), close: () => socket.close() };
  };
}

export class WebSocketBridge extends SocketBridge {
  constructor(url?: string) {
    super(browserSocket(url));
  }
}
