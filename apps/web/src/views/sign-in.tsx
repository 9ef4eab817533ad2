// Shown when the service answers 401: a token is pasted here (or arrives in the URL fragment).
import { useState } from 'preact/hooks';
import { clearToken, readToken, storeToken } from '../api/token.js';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const hadToken = readToken() !== undefined;
  return (
    <section class="panel sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <p>
        {hadToken
          ? 'The service did not accept the stored token (it may have expired). Paste a new one.'
          : 'The service asks who you are. Paste the access token (a JWT) your administrator gave you.'}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim() === '') return;
          storeToken(token);
          onSignedIn();
        }}
      >
        <label for="token">Access token</label>
        <textarea id="token" rows={4} value={token} onInput={(e) => setToken(e.currentTarget.value)} required />
        <div class="actions">
          <button type="submit">Sign in</button>
          {hadToken && <button type="button" class="secondary" onClick={() => { clearToken(); setToken(''); }}>Forget the stored token</button>}
        </div>
      </form>
    </section>
  );
}
