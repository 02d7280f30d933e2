// The clinic's chat dashboard as the "SMS appointment reminders" tutorial
// builds it (2020: stream-chat 1.x, stream-chat-react 1.2, React 16 hooks),
// written here for smsbridge. Against the tutorial's own dashboard it
// differs in what docs/setup.md ("two changes") documents, and no more:
//   1. the login sends a password with the admin id;
//   2. the login's token is kept and sent with reminders as a bearer token;
// plus one line for the sandbox: client.setBaseURL(streamBaseUrl) when the
// login answer names a simulated Stream. Where the API lives is the
// tutorial's http://localhost:8080 unless the page's ?api= says otherwise
// (the tests serve the sandbox on a free port).
import React, { useState } from 'react';
import { StreamChat } from 'stream-chat';
import 'stream-chat-react/dist/css/index.css';
import {
  Chat,
  Channel,
  ChannelList,
  ChannelPreviewMessenger,
  MessageInput,
  MessageList,
  Thread,
  Window,
} from 'stream-chat-react';

const apiUrl = new URLSearchParams(window.location.search).get('api') || 'http://localhost:8080';
const defaultReminder = 'Your appointment is coming up soon! Reply here to chat with the front desk.';

let chatClient;

function Admin() {
  document.title = 'Admin';
  const [adminId, setAdminId] = useState('');
  const [password, setPassword] = useState(''); // change 1
  const [token, setToken] = useState(''); // change 2
  const [loggedIn, setLoggedIn] = useState(null);
  const [phoneNumber, setPhoneNumber] = useState('');
  const [messageText, setMessageText] = useState(defaultReminder);

  const login = async (e) => {
    e.preventDefault();
    try {
      const response = await fetch(apiUrl + '/admin-login', {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ adminId, password }), // change 1
      });
      const { token, streamApiKey, adminName, streamBaseUrl } = await response.json();
      setToken(token); // change 2

      chatClient = new StreamChat(streamApiKey);
      if (streamBaseUrl) chatClient.setBaseURL(streamBaseUrl); // the sandbox's simulated Stream
      await chatClient.setUser({ id: adminName, name: 'Clinic Administrator' }, token);

      setLoggedIn(true);
    } catch (err) {
      console.error(err);
    }
  };

  const sendReminder = async (e) => {
    e.preventDefault();
    try {
      const response = await fetch(apiUrl + '/send-reminder', {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          Authorization: 'Bearer ' + token, // change 2
        },
        body: JSON.stringify({ phoneNumber, messageText }),
      });
      const { sent } = await response.json();

      if (sent) {
        setPhoneNumber('MESSAGE SENT!');
        setMessageText(defaultReminder);
      }
    } catch (err) {
      console.error(err);
    }
  };

  if (!loggedIn) {
    return (
      <div className="App container">
        <form className="card" onSubmit={login}>
          <label htmlFor="admin-id">Admin Id</label>
          <input
            id="admin-id"
            type="text"
            value={adminId}
            onChange={(e) => setAdminId(e.target.value)}
            placeholder="Enter your admin ID"
            required
          />
          <label htmlFor="admin-password">Password</label>
          <input
            id="admin-password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            placeholder="Enter your password"
            required
          />
          <button type="submit">Start chat</button>
        </form>
      </div>
    );
  }

  return (
    <Chat client={chatClient} theme={'commerce light'}>
      <ChannelList sort={{ last_message_at: -1 }} Preview={ChannelPreviewMessenger} />
      <Channel>
        <Window>
          <h2 className="header-title">Healthcare Admin Chat Dashboard</h2>
          <h4 className="header-subtitle">Send SMS Appointment Reminder</h4>
          <form className="stream-header" onSubmit={sendReminder}>
            <label htmlFor="reminder-phone">Phone</label>
            <input
              id="reminder-phone"
              className="header-input"
              type="text"
              value={phoneNumber}
              onChange={(e) => setPhoneNumber(e.target.value)}
              placeholder="# with country code, e.g. +12015550123"
              required
            />
            <label htmlFor="reminder-text">Msg Text</label>
            <input
              id="reminder-text"
              className="header-input"
              type="text"
              value={messageText}
              onChange={(e) => setMessageText(e.target.value)}
              placeholder="Message"
              required
            />
            <button type="submit">Send SMS</button>
          </form>
          <MessageList />
          <MessageInput focus />
        </Window>
        <Thread />
      </Channel>
    </Chat>
  );
}

export default Admin;
