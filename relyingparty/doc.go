// Package relyingparty is the transport-free core of an OpenID Provider: banks, ticketing
// and websites (relying parties) sign people in through trustid with the OpenID Connect
// authorisation code flow, and learn that a person is verified without handling the card.
// Package relyingparty/oidcprovider serves it over HTTP.
//
// # What a relying party receives
//
// By default the verification result only (China's 网号/网证 Measures): an ID token whose
// sub is a pairwise pseudonym, whose acr is [ACRPrefix] followed by the assurance level,
// and whose verified_claims (OpenID Connect for Identity Assurance 1.0) carry the trust
// framework, the level, the time of the decision, a per-sector verification process
// identifier and the evidence types (one electronic_record per factor with its check
// method: data, bvr, kbv or vpip) with their times — never the evidence itself — and an
// empty claims object.
//
// A claim beyond the result ([ClaimName], [ClaimIDNumber], [ClaimBirthdate],
// [ClaimAgeOver18]) is released in verified_claims.claims only if all three hold: the
// client is registered for it ([Client].Claims), it asked for it (a scope value of the same
// name), and the person consented to exactly the list asked for in this request
// ([ApproveRequest].Consent). The consent is recorded ([ConsentRecord], [ConsentStore]) and
// checked again when the code is redeemed, so a withdrawn consent releases nothing more.
// The values come from the host ([IdentitySource]) and are released only when the
// identity's number is the decision's person ([verify.Decision.IsPerson]).
//
// # Flow
//
// [ParseAuthorizationRequest] and [Provider.Authorize] check a request and return a
// [Pending] to show the person (the client's registered name, the claims, the purpose).
// [Provider.Approve] takes the person's decision token and consent and returns the redirect
// with the code; [Provider.Exchange] redeems the code for the ID token.
//
// QR sign-in (the person's wallet on another device): [Provider.QRChallenge] seals a
// challenge naming the pending request for the page to show; the wallet opens it with
// [Provider.ScanQR] (the client's registered name, purpose and claims) and answers with
// [Provider.AnswerQR], which approves exactly as Approve does, returns the consent
// record's ID and leaves the approval in a [HandoffStore]; the page, which alone holds the
// pending token, collects it (redirect, code and consent ID) once with [Provider.PollQR].
//
// # Pairwise subjects
//
// sub is HMAC-SHA-256 under Config.PairwiseKey of "trustid/oidc/pairwise/v1", 0x00, the
// client's sector, 0x00 and the decision's Subject (itself an HMAC of the person's
// canonical identity), base64url without padding (OpenID Connect Core §8.1). It is the
// same for one person at every client of a sector and unlinkable across sectors; it holds
// no identity number and nobody without the pairwise key can compute it. The verification
// process identifier is derived the same way from the check ID, so it too differs per
// sector. A client's sector is Client.Sector; when empty, it is the lower-cased host of its
// redirect URIs, except for a client with a loopback (127.0.0.0/8, ::1, localhost) or
// non-http(s) redirect URI, which unrelated native apps share (RFC 8252): such a client is
// a sector of its own, "client", 0x00 and its client ID.
//
// # Security
//
// Only the authorisation code flow with PKCE S256 is accepted (RFC 9700): no implicit flow,
// no plain challenge, no request objects. Redirect URIs are compared exactly with the
// registered ones; an unknown client or a mismatched redirect URI is never redirected to.
// state and nonce are required; a nonce is accepted once per client. The authentication
// time is the earliest completion of the decision's document, real-person and memory
// evidence (a referee's review does not count; DecidedAt when the decision lists no
// evidence): deciding again on old sealed evidence is not a new authentication. max_age
// limits the authentication's age; max_age=0 and prompt=login require evidence completed
// after the request; auth_time in the ID token is the authentication time; prompt=none is refused (the person always answers on the provider's page). Requests and codes
// are sealed (XChaCha20-Poly1305 under Config.Keys) and single use through a
// [store.ReplayGuard]; a code is used up by its first presentation, whoever makes it, and
// is bound to the client, the redirect URI and the PKCE challenge. Confidential clients'
// secrets are compared in constant time. The ID token rests on an authentic decision token
// ([verify.DecisionSealer]) that passed at the client's level, rests on an
// authentication within Config.MaxDecisionAge (and the request's max_age) and is still valid; the token expires
// at the earliest of its lifetime and the decision's ValidUntil. ID tokens are signed with
// ES256 or EdDSA (go-jose); the JWKS lists every configured key so that keys can rotate.
//
// Not guaranteed: the access token grants nothing (there is no userinfo endpoint); ID
// tokens already issued are not recalled when a consent is withdrawn; two relying parties
// in different sectors that receive tokens from the same decision see the same auth_time
// and evidence times.
package relyingparty
