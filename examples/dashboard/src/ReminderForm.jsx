import { useEffect, useRef, useState } from 'react';
import { newKey, preview, sendReminder, templates as listTemplates } from './api';

const FREE_TEXT = '';

// sendOnce sends a reminder with its Idempotency-Key. A second click that
// arrives while the first request is still being sent gets 409
// idempotency_in_progress; it asks again after Retry-After and gets the
// first answer, so the front desk sees one result and the patient one SMS.
async function sendOnce(token, request, key) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await sendReminder(token, request, key);
    } catch (err) {
      if (err.code !== 'idempotency_in_progress' || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 1000 * Math.min(Number(err.retryAfter) || 1, 5)));
    }
  }
}

// costLine is the preview as the sandbox console words it:
// "1 segment · GSM-7 · 103 of 160 characters".
function costLine(c) {
  const segs = `${c.segments} segment${c.segments === 1 ? '' : 's'} · ${c.encoding}`;
  const per = { 'GSM-7': [160, 153], 'UCS-2': [70, 67] }[c.encoding];
  if (!per) return segs;
  const room = c.segments === 1 ? per[0] : c.segments * per[1];
  return `${segs} · ${c.characters} of ${room} characters`;
}

// ReminderForm sends POST /send-reminder with the bearer token: free text
// or one of the clinic's templates (GET /reminder-templates) with a field
// per placeholder, the cost shown as the admin types (POST /sms-preview),
// and one Idempotency-Key per reminder, so a double click or a retry sends
// one SMS.
export function ReminderForm({ token }) {
  const [list, setList] = useState([]);
  const [phoneNumber, setPhone] = useState('');
  const [template, setTemplate] = useState(FREE_TEXT);
  const [params, setParams] = useState({});
  const [messageText, setText] = useState('');
  const [cost, setCost] = useState(null);
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  // The key belongs to this reminder: it changes when the reminder does, and
  // after one is sent; a second click on the same one reuses it.
  const key = useRef(newKey());

  useEffect(() => {
    listTemplates(token).then(setList, (e) => setResult({ error: e.message }));
  }, [token]);

  const chosen = list.find((t) => t.name === template);
  const request = chosen ? { phoneNumber, template, params } : { phoneNumber, messageText };

  // The cost preview, a moment after the admin stops typing.
  const textKey = JSON.stringify([template, params, messageText]);
  useEffect(() => {
    const body = chosen ? { template, params } : { messageText };
    if (chosen && chosen.placeholders.some((p) => !params[p])) {
      setCost(null);
      return undefined;
    }
    let live = true;
    const t = setTimeout(() => {
      preview(token, body).then((p) => live && setCost(p), () => live && setCost(null));
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, textKey, chosen]);

  const edited = (fn) => (e) => {
    key.current = newKey();
    setResult(null);
    fn(e.target.value);
  };

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setResult(null);
    const sent = key.current;
    try {
      const out = await sendOnce(token, request, sent);
      if (key.current === sent) key.current = newKey();
      setResult({ ok: out });
    } catch (err) {
      setResult({ error: err.message, code: err.code, nextAllowedAt: err.body.nextAllowedAt });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="reminder-form" onSubmit={submit}>
      <h2>Send a reminder</h2>
      <label>
        Patient's phone
        <input name="phoneNumber" type="tel" placeholder="+1 201-555-0142" value={phoneNumber}
          onChange={edited(setPhone)} required />
      </label>
      <label>
        Template
        <select name="template" value={template} onChange={edited((v) => { setTemplate(v); setParams({}); })}>
          <option value={FREE_TEXT}>Free text</option>
          {list.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
        </select>
      </label>
      {chosen ? (
        <>
          <p className="template-text">{chosen.text}</p>
          {chosen.placeholders.map((p) => (
            <label key={p}>
              {p.replace(/_/g, ' ')}
              <input name={'param-' + p} value={params[p] || ''} required
                onChange={edited((v) => setParams((old) => ({ ...old, [p]: v })))} />
            </label>
          ))}
        </>
      ) : (
        <label>
          Message
          <textarea name="messageText" rows={4} value={messageText} onChange={edited(setText)} required />
        </label>
      )}
      <p className="cost" aria-live="polite">
        {cost ? costLine(cost) : '\u00a0'}
      </p>
      <button type="submit" name="send" disabled={busy}>{busy ? 'Sending…' : 'Send reminder'}</button>
      {result && result.ok && (
        <p className="reminder-result sent" role="status" data-replayed={result.ok.replayed ? 'true' : 'false'}>
          {result.ok.status === 'scheduled' ? 'Scheduled' : 'Sent'} to {result.ok.to} · {result.ok.segments} segment
          {result.ok.segments === 1 ? '' : 's'} · {result.ok.encoding}
          {result.ok.replayed && <span className="replayed"> (once: the repeated click was not sent again)</span>}
        </p>
      )}
      {result && result.error && (
        <p className="reminder-result error" role="alert">
          {result.error}
          {result.nextAllowedAt && ` (allowed from ${new Date(result.nextAllowedAt).toLocaleString()})`}
        </p>
      )}
    </form>
  );
}
