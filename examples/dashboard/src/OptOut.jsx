import { useEffect, useState } from 'react';
import { ChannelPreviewMessenger, useChannelStateContext } from 'stream-chat-react';

// useOptedOut follows a channel's sms_opted_out, which the bridge sets when
// the patient texts STOP (or Twilio refuses with 21610) and clears on
// START; it arrives as channel.updated.
function useOptedOut(channel) {
  const [opted, setOpted] = useState(Boolean(channel && channel.data && channel.data.sms_opted_out));
  useEffect(() => {
    if (!channel) return undefined;
    setOpted(Boolean(channel.data && channel.data.sms_opted_out));
    const sub = channel.on('channel.updated', (ev) => {
      const data = (ev && ev.channel) || channel.data || {};
      setOpted(Boolean(data.sms_opted_out));
    });
    return () => sub.unsubscribe();
  }, [channel]);
  return opted;
}

// OptOutNotice says, above the conversation, that replies will not reach
// an opted-out patient.
export function OptOutNotice() {
  const { channel } = useChannelStateContext('OptOutNotice');
  if (!useOptedOut(channel)) return null;
  return (
    <p className="opted-out-notice" role="status">
      Opted out: this patient texted STOP. Messages are not sent to them until they text START.
    </p>
  );
}

// PatientPreview is the channel list's entry, marked when the patient has
// opted out.
export function PatientPreview(props) {
  const opted = useOptedOut(props.channel);
  return (
    <div className={'patient-preview' + (opted ? ' opted-out' : '')}>
      <ChannelPreviewMessenger {...props} />
      {opted && <span className="opted-out-badge">Opted out</span>}
    </div>
  );
}
