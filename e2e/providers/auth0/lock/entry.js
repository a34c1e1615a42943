// The browser entry the install step bundles (package.json postinstall):
// Auth0 Lock's CommonJS build (lib/) exposed as window.Auth0Lock, as the
// Classic Universal Login page template and Auth0's CDN build (lock.min.js)
// expose it.
var lock = require('auth0-lock');
window.Auth0Lock = lock.Auth0Lock;
