// Package quiz runs the memory check of the trusted-identity journey (动态问卷, "based on
// the user's memory"): a multiple-choice questionnaire drawn from facts the host holds
// about the person, so that someone who holds a leaked ID number and a photo still cannot
// pass.
//
// The host supplies the person's [Fact] values (previous addresses, vehicle plates,
// issuing offices, phone carriers, ...) and a [DistractorSource] of plausible wrong values.
// [Examiner.Begin] returns the questions and a sealed token; [Examiner.Finish] scores the
// answers and returns a [Result] that says pass or fail and nothing else. *Result
// implements the memory evidence of package verify (Subject, QuizPassed).
//
// # Rules
//
// The defaults of [Policy] follow NIST SP 800-63A-3 §5.3.2 (knowledge-based verification)
// and Validate refuses anything that breaks a SHALL there:
//   - at least 4 questions, each with at least 4 values plus "none of the above";
//   - every answer right to pass (MaxMissedWeight 0; k-of-n is an explicit, weaker option);
//   - at most 3 attempts per subject (default 2, the NIST recommendation), counted when a
//     quiz begins and reset only by a pass or when the window or cool-off ends;
//   - at most 2 minutes per question; a timeout is a failed attempt;
//   - "none of the above" is the answer of at most NoneOfTheAboveMax questions, always
//     fewer than half, and the option is shown on every question whether or not it is
//     the answer;
//   - facts asked are not asked again for Policy.RememberFor (default 7 days), so a retry
//     asks other questions; a quiz never has two questions of one category;
//   - facts marked Static (never change) or Public are never asked.
//
// Defaults that go beyond NIST: a per-device attempt limit (10 a day), facts that ended
// more than 10 years ago are not asked.
//
// # Security
//
// Guaranteed:
//   - Options are shuffled with Config.Rand (crypto/rand by default); question and option
//     IDs are pseudo-random (HMAC of a per-session key), unrelated to position or content,
//     and valid for one quiz only, so answers from another quiz are refused.
//   - Every distractor is checked: one that equals, after [Normalize] (NFKC, width folding,
//     case folding, no spaces), any true fact of the person is refused, and so is one whose
//     shape differs from the answer's ([SameShape]: character classes, digit count, length
//     class). Every option is shown in the same normal form.
//   - The token is sealed (XChaCha20-Poly1305, purpose "quiz") and holds no answer in the
//     clear: only a per-session key and, per question, an HMAC of the correct option ID.
//     A token is finished once (replay guard); any change to it is [ErrInvalidToken].
//   - Scoring compares the MACs in constant time, scores every question and reveals only
//     the overall outcome.
//   - Errors and String/LogValue output never contain a fact, an option text or a subject
//     in the clear.
//
// Not guaranteed:
//   - Per-question time limits can be enforced only on answer times the host reports
//     ([Answer]); the library itself knows only its Begin and Finish times, and enforces
//     the total through the token's expiry.
//   - Anyone holding the seal key can read a token and test its few options against the
//     answer MACs: the MACs keep answers out of decrypted logs and dumps, not from the
//     key holder.
//   - Multiple choice shows the true value to whoever takes the quiz: a failed attacker
//     learns that one of the options is a fact. The host decides which facts are private
//     enough to ask; the library cannot tell that two categories hint at each other (a
//     plate's province and an address's city).
//   - Per-subject lockout lets anyone who knows a subject lock its owner out for the
//     cool-off; that is the price of capping guesses.
//   - The in-memory stores hold state per process; a fleet needs shared stores (run the
//     quiztest suites against them).
package quiz
