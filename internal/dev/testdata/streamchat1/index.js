// The tutorial's Stream client (stream-chat 1.14.0, from
// examples/tutorial-compat's node_modules) on a bare page: connect(...)
// calls setUser with a given token against the simulated client API and
// keeps what came of it, and how many WebSockets the client opened within
// 3 s (a refused client must not retry), in window.result.
import './count-sockets.js';
import { StreamChat } from 'stream-chat';

const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));

window.connect = async (apiKey, baseURL, userId, token) => {
  const client = new StreamChat(apiKey);
  client.setBaseURL(baseURL);
  try {
    await client.setUser({ id: userId }, token);
    await settle();
    window.result = JSON.stringify({ connected: client.connectionID || '', sockets: window.socketsOpened });
  } catch (err) {
    await settle();
    window.result = JSON.stringify({ refused: err.message, sockets: window.socketsOpened });
  }
};
