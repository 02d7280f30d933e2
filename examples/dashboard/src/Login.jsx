import { useState } from 'react';
import { apiURL, login } from './api';

// Login asks for the admin id and password (the tutorial asked for the id
// only) and hands the login answer up.
export function Login({ onLogin }) {
  const [adminId, setAdminId] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onLogin(await login(adminId, password));
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };

  return (
    <form className="login" onSubmit={submit}>
      <h1>Clinic dashboard</h1>
      <label>
        Admin id
        <input name="adminId" autoComplete="username" value={adminId} onChange={(e) => setAdminId(e.target.value)} required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" value={password}
          onChange={(e) => setPassword(e.target.value)} required />
      </label>
      <button type="submit" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button>
      {error && <p className="error" role="alert">{error}</p>}
      <p className="server">smsbridge: {apiURL}</p>
    </form>
  );
}
