// Counts the WebSockets the page opens; imported before stream-chat, whose
// isomorphic-ws takes window.WebSocket when it loads.
const Real = window.WebSocket;
window.socketsOpened = 0;
window.WebSocket = function WebSocket(...args) {
  window.socketsOpened += 1;
  return new Real(...args);
};
Object.assign(window.WebSocket, Real);
window.WebSocket.prototype = Real.prototype;
