// Lock's English dictionary as the script Lock loads from
// {languageBaseUrl}/js/lock/{version}/en.js (Auth0's CDN serves the same
// dictionary there), registered through Auth0.registerLanguageDictionary.
var en = require('auth0-lock/lib/i18n/en');
window.Auth0.registerLanguageDictionary('en', en.default || en);
