import { useEffect, useState } from 'react';
import { StreamChat } from 'stream-chat';
import {
  Channel,
  ChannelHeader,
  ChannelList,
  Chat,
  MessageInput,
  MessageList,
  Thread,
  Window,
} from 'stream-chat-react';
import { Login } from './Login';
import { OptOutNotice, PatientPreview } from './OptOut';
import { ReminderForm } from './ReminderForm';
import { SmsMessage } from './SmsMessage';

/* global SMS_CHANNEL_TYPE */
const sort = { last_message_at: -1 };
const options = { state: true, watch: true, presence: true, limit: 30 };

// App logs in, then shows the tutorial's tree (Chat, ChannelList, Channel,
// Window, MessageList, MessageInput, Thread) beside the reminder form.
export function App() {
  const [session, setSession] = useState(null);
  const [client, setClient] = useState(null);
  const [error, setError] = useState('');

  useEffect(() => {
    if (!session) return undefined;
    const c = new StreamChat(session.streamApiKey, { timeout: 10000 });
    // The sandbox's simulated Stream; against real Stream the login answer
    // has no streamBaseUrl and the client keeps Stream's own.
    if (session.streamBaseUrl) c.setBaseURL(session.streamBaseUrl);
    let live = true;
    c.connectUser({ id: session.adminName, name: session.adminName }, session.token)
      .then(() => live && setClient(c))
      .catch((e) => live && setError(`Stream refused the connection: ${e.message}`));
    return () => {
      live = false;
      setClient(null);
      c.disconnectUser();
    };
  }, [session]);

  if (!session) return <Login onLogin={setSession} />;
  if (error) return <p className="error page-error" role="alert">{error}</p>;
  if (!client) return <p className="connecting">Connecting to the chat…</p>;

  const filters = { type: SMS_CHANNEL_TYPE, members: { $in: [session.adminName] } };
  return (
    <Chat client={client} theme="str-chat__theme-light">
      <div className="dashboard">
        <header className="topbar">
          <strong>Clinic dashboard</strong>
          <span className="who">{session.adminName}</span>
          <button type="button" onClick={() => setSession(null)}>Log out</button>
        </header>
        <aside className="channels">
          <ChannelList filters={filters} sort={sort} options={options} Preview={PatientPreview}
            setActiveChannelOnMount={false} />
        </aside>
        <main className="conversation">
          <Channel Message={SmsMessage} EmptyPlaceholder={<p className="placeholder">Pick a patient on the left.</p>}>
            <Window>
              <ChannelHeader />
              <OptOutNotice />
              <MessageList />
              <MessageInput focus />
            </Window>
            <Thread />
          </Channel>
        </main>
        <aside className="reminders">
          <ReminderForm token={session.token} />
        </aside>
      </div>
    </Chat>
  );
}
