// Package liveness runs the real-person check (实人核验): an active liveness challenge — a
// random sequence of actions such as "blink", "turn left", "shake the phone" — followed by
// a face match against the record's photo.
//
// The library owns the sequencing, the rules and the decision; the host owns frame
// analysis and face recognition. A session goes:
//
//  1. [Challenger.Begin] checks the subject's biometric consent ([ConsentStore]), counts
//     an attempt for the subject and the device, binds the capture device's key when one
//     is presented, draws the actions and returns a [Challenge]: the client view (prompts and deadlines) and an
//     opaque sealed Token holding the session state, so no server storage is needed.
//  2. The client prompts the person; the host's analyser turns the video into
//     [Observation] values (action, start, end, confidence, and the session, subject and
//     device binding: Observation.Session is the [Challenge] SessionID the analyser was
//     given with the video).
//  3. [Challenger.Finish] opens the token, consumes the session in the [store.ReplayGuard],
//     checks every observation, asks the host's [FaceMatcher] for a [Score] (or takes
//     one the host computed), applies the threshold configured for that backend and
//     model version, and returns a [Result]: pass, retry or fail, reasons, an [Audit]
//     record, and a [ClientResult] that reveals the outcome only.
//
// [PADEvaluation] computes the ISO/IEC 30107-3 metrics (APCER per attack species, BPCER,
// BPCER_N) of the host's presentation-attack detector, so that its threshold comes from
// data.
//
// # Consent
//
// The face is biometric data: the check needs the person's separate, explicit consent
// (GB/T 35273-2020; SP 800-63A-4 §3.11). The host records it in a [ConsentStore] — who,
// [PurposeBiometric], which version of the text was shown, when — and passes its ID as
// BeginRequest.Consent. Begin refuses ([ErrConsentRequired]) an unknown ID, a consent of
// another subject or purpose, one given after now or withdrawn, before it counts an
// attempt; Finish refuses a session whose consent was withdrawn meanwhile (the session is
// consumed, nothing is matched). The result names the consent (Audit.Consent,
// [Result.ConsentID]) and verify copies it into the decision's evidence.
//
// # Device binding and injection defences
//
// A client that presents an Ed25519 key at Begin (BeginRequest.DeviceKey, optionally
// with a platform attestation that Config.Attestation verifies) binds the session to that
// device: Finish then requires every frame the analyser used to arrive in a
// [CaptureEnvelope] signed by the key over the session ID, the frame's SHA-256, its
// capture time and the previous envelope's hash, the last one marked as last. Envelopes
// of another session (capture_foreign), not signed by the key (capture_signature),
// reordered, dropped, duplicated or truncated (capture_sequence), captured before the
// session or out of order (capture_time), or leaving an observed step without a frame
// (capture_uncovered), fail the session. Device risks (rooted, hooked, emulator, virtual
// camera, screen recording, ...) reported by the attestation or by the host's checks
// (FinishRequest.DeviceRisks) go through Config.DeviceRiskPolicy: refused risks fail the
// session (device_risk) or Begin ([ErrDeviceNotTrusted]); reviewed ones are recorded and
// make [Result.NeedsReview] true. Device binding is optional unless
// Config.RequireDeviceBinding is set, so that existing clients keep working; a session
// begun without a key ignores envelopes and records no device key in its audit.
//
// # Timing rules
//
// A session issued at T has steps s_1..s_k with deadlines
// D_i = T + StartDelay + Window(s_1) + ... + Window(s_i), and expires at T + Lifetime.
// Observation i passes when its action is s_i, it starts no earlier than T, at least
// MinReaction after the previous step ended (or after T), lasts at least the action's
// MinDuration, ends no later than D_i (a step ending exactly at its deadline passes) and no
// later than now + MaxClockSkew. Finish at or after the expiry is refused (the expiry is
// exclusive, as in the sealed token). Timestamps are on the host's clock: an analyser that
// works on device time must convert it.
//
// # Outcomes
//
// Failures a genuine person can cause (a late, missing, wrong or low-confidence step; a
// face score below the threshold) give [OutcomeRetry] while the attempt cap leaves room,
// and [OutcomeFail] with [ReasonAttemptsExhausted] once it does not. Failures that point
// at an attack or a broken analyser (too fast, impossible timestamps, another session,
// subject or device, an unknown action, a score from an unconfigured model) give
// [OutcomeFail] at once. Liveness and face match must both pass; they are never averaged, and the
// matcher is not called when liveness failed.
//
// # Security
//
// Guaranteed, given a secret key of at least 32 random bytes and a shared [store.ReplayGuard],
// [store.AttemptStore] and [ConsentStore] across the servers that finish sessions:
//   - session IDs and nonces are 128 random bits each; actions are drawn with
//     crypto/rand uniformly over the acceptable sequences, so
//     the next prompt cannot be predicted;
//   - the token is encrypted and authenticated (internal/seal, purpose "liveness", key
//     IDs for rotation): any change, including a single bit, gives [ErrNotAuthentic];
//     the steps, deadlines, bindings and reference photo cannot be edited;
//   - observations are bound to their session: each must carry the session's SessionID,
//     subject and device (compared in constant time) or the result is a fail with
//     [ReasonBindingMismatch], so observations made for one session cannot be replayed
//     into another session of the same person on the same device that drew the same
//     actions;
//   - a session finishes once: of any number of Finish calls, concurrent or not, exactly
//     one gets a [Result], the others an error matching store.ErrReplayed; every call with an authentic token
//     consumes the session, so observations cannot be probed one variant at a time;
//   - attempts are counted at Begin per subject and per device, so opening new sessions
//     does not get around the cap (an error matching store.ErrLockedOut; errors.As to
//     *store.LockedOutError gives the retry time); a pass resets the subject's count only,
//     so a device cannot launder its failures against other subjects with one pass of its
//     own; the store's keys are HMACs under Config.IndexKey, never the subject or device;
//   - the client view never contains a score, a reason, the subject or device binding,
//     or the timing rules (it does carry the SessionID, which is no secret);
//   - in a device-bound session, frames cannot be moved between sessions or devices,
//     reordered, dropped, repeated or cut short without failing it, and no step passes
//     without a frame signed by the device inside its span.
//
// Not guaranteed: the library cannot tell whether the observations are true. A host
// whose analyser is fooled by a deepfake stream, or that reports another person's video,
// defeats the check; the presentation-attack detector and the face matcher are the host's
// (see [PADEvaluation] and package liveness/biometrics for measuring them). Device
// binding proves which key signed the frames, not that the key lives in a genuine camera:
// that needs the platform attestation, and a compromised device that holds its own key
// can sign injected frames (the device-risk signals are the host's to detect). The minimum durations of
// [DefaultActions] catch machine-speed streams, not skilled replays. Subjects, devices and
// references are opaque IDs, but they are masked in String and LogValue all the same.
package liveness
