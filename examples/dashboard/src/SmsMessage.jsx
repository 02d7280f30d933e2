import { MessageSimple, useMessageContext } from 'stream-chat-react';

// What each sms_status means to the front desk (docs/contract.md §4).
const labels = {
  pending: 'Sending…',
  accepted: 'Accepted by Twilio',
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  scheduled: 'Scheduled',
  undelivered: 'Not delivered',
  failed: 'Not sent',
  unconfirmed: 'Not confirmed',
};

const failures = new Set(['failed', 'undelivered', 'unconfirmed']);

// SmsMessage is the chat's message with, under an outbound one, its SMS
// delivery status (sms_status) and the reason a failed one gives (sms_error).
export function SmsMessage(props) {
  const { message } = useMessageContext('SmsMessage');
  const status = message && message.sms_status;
  return (
    <div className="sms-message">
      <MessageSimple {...props} />
      {status && (
        <div className={'sms-status' + (failures.has(status) ? ' sms-failed' : '')} data-status={status}>
          <span className="sms-status-label">{labels[status] || status}</span>
          {message.sms_error && <span className="sms-error">{message.sms_error}</span>}
        </div>
      )}
    </div>
  );
}
