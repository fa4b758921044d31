// Package quiz runs the memory check of the trusted-identity journey (动态问卷, "based on
// the user's memory"): a multiple-choice questionnaire drawn from facts the host holds
// about the person, so that someone who holds a leaked ID number and a photo still cannot
// pass.
//
// The host supplies the person's [Fact] values (previous addresses, vehicle plates,
// issuing offices, phone carriers, ...) and a [DistractorSource] of plausible wrong values.
// [Examiner.Begin] takes a [BeginRequest] and returns a [Challenge]: the questions and a
// sealed token. The host sends the questions to the applicant's device with
// [Challenge.ClientJSON]; [Examiner.Finish] takes the token and the answers in a
// [FinishRequest], scores them and returns a [Result] that says pass or fail and nothing
// else. *Result implements the memory evidence of package verify (Subject, QuizPassed); a
// nil *Result means the quiz was not performed. A journey whose decision is made on
// another server carries the result there sealed: [Examiner.SealResult] and
// [Examiner.OpenResult].
//
// # Errors
//
// Every error of [New], Begin, Finish, SealResult and OpenResult is an [*Error] with a
// [Reason]; errors.Is matches it against the package's sentinels ([ErrInvalidArgument],
// [ErrTooFewFacts], [ErrTooFewDistractors], [ErrConcurrentQuiz], [ErrNotAuthentic],
// [ErrExpired], [ErrBadAnswers], [ErrUnavailable]) and against what it wraps: a locked-out
// subject or device matches store.ErrLockedOut (errors.As to *store.LockedOutError gives
// RetryAt), a token finished twice store.ErrReplayed, and a failed host dependency its
// own error.
//
// # Keys
//
// Config.Keys seal the tokens and rotate: the first seals, all open. Config.IndexKey is a
// separate HMAC key that names subjects, devices and facts in the attempt and asked
// stores; it does not rotate, and rotating Keys leaves lock-outs and the memory of asked
// facts intact. IndexKey is required as soon as the host supplies an attempt store or an
// asked store; only when both are the in-memory defaults does each Examiner draw its own.
//
// # Subjects
//
// Attempts, asked facts and shown values are counted and remembered per subject
// ([BeginRequest].Subject), which should name the person, not the credential: the host
// passes verify.DocumentResult.Subject, the same for every identity-numbered document of
// one person. Quizzes begun with a person's ID card, household register and driving
// licence then share one attempt cap and one memory, so the options of abandoned quizzes
// tell nothing about the next one: it asks other facts with other values, or is refused.
//
// # Rules
//
// The defaults of [Policy] follow NIST SP 800-63A-3 §5.3.2 (Knowledge-Based Verification
// Requirements; item numbers and letters below are that section's) and Validate refuses
// anything that breaks one of its SHALLs:
//   - at least 4 questions (5b), each with at least 4 shown values plus "none of the
//     above" (5c);
//   - every answer right to pass (5b); MaxMissedWeight > 0 (k-of-n) is an explicit,
//     weaker option;
//   - at most 3 attempts per subject, default 2 as recommended (5d), counted when a quiz
//     begins and reset only by a pass or when the window or cool-off ends;
//   - at most 2 minutes per question; a timeout is a failed attempt (5e);
//   - "none of the above" is the answer of at most NoneOfTheAboveMax questions, always
//     fewer than half (5f), and the option is shown on every question whether or not it
//     is the answer, so its presence says nothing;
//   - facts asked are not asked again for Policy.RememberFor (default 7 days), so a
//     retry asks other questions (5g); a quiz never has two questions of one category,
//     and no distractor is a true fact of the person, so one question does not hand out
//     the answer of another (5h); nor is a distractor shown to the same subject twice
//     within RememberFor, since a value seen again is known not to be the answer, and
//     over several attempts the true facts would emerge by elimination (5h);
//   - facts marked Static (answers that never change, 5i) or Public (available freely,
//     for a fee or on the black market, item 2) are never asked.
//
// Where the defaults differ from NIST, and why:
//   - Multiple choice only: NIST prefers free-form answers (5c, SHOULD); free-form needs
//     fuzzy matching of addresses that the host, not this library, is placed to do.
//   - Entropy: NIST asks transactional KBV for 20 bits (item 4). A blind guesser does
//     better than 1 in 5 per question, because "none of the above" is rarely the answer:
//     with the defaults (4 questions, 4 values plus "none of the above", at most one
//     such answer, drawn 0 or 1 with probability 1/2) the best guess passes with
//     probability 1/2 · 4⁻⁴ = 1/512 (9 bits) per attempt, about 1/256 over two
//     attempts. Raise Questions where the quiz is the only factor: 9 questions (at most
//     4 "none of the above" answers) give 1/5 · 4⁻⁹, 20.3 bits. In this library it is
//     the third factor, after the document and real-person checks.
//   - Per-question timeout (5e): the library enforces the 2-minute limit per question
//     only on answer times the host reports ([Answer].ShownAt and AnsweredAt), and
//     RequireAnswerTimes is off by default; without them only the total,
//     Questions × 2 minutes, is enforced (by the token's expiry). Hosts that can report
//     the times should set RequireAnswerTimes.
//   - Attempts renew: NIST caps attempts at three (5d) without saying over what time; the
//     default cap of 2 applies per 24-hour window, with a 24-hour cool-off once used,
//     so a subject that keeps failing gets 2 new attempts a day (while facts remain
//     unasked: see RememberFor). A host that wants a lifetime cap sets a long
//     Attempts.Window.
//   - Added limits NIST does not set: a per-device attempt limit (10 a day) and no facts
//     that ended more than 10 years ago.
//   - NIST's opt-out (item 3) and its rule on PII (5j) are the host's to keep: it decides
//     which facts it may show.
//
// # Security
//
// Guaranteed:
//   - Every random choice (session keys, question and option order, which questions have
//     "none of the above" as answer) comes from crypto/rand; question and option IDs are
//     pseudo-random (HMAC of a per-session key), unrelated to position or content, and
//     valid for one quiz only, so answers from another quiz are refused.
//   - Every distractor is checked: one that equals, after [Normalize] (NFKC, width folding,
//     case folding, no spaces), any true fact of the person is refused, and so is one whose
//     shape differs from the answer's in any way ([SameShape]: the count of characters of
//     each class, the order of the classes, the length in bytes). Every option is shown in
//     the same normal form.
//   - So every shown value of a question, the answer included, has exactly one shape:
//     whatever an applicant measures without reading the values (length in characters or
//     bytes, script mix, digit count, where the digits stand, spaces) is the same for all
//     of them, and the answer's rank by any such measure is uniform among the options,
//     however the person's facts and the distractor pool are distributed. A guesser who
//     learns from many answered quizzes how answers and distractors look does no better
//     than a blind guess. The price: a fact whose shape the pool holds too few values of
//     cannot be asked ([ErrTooFewDistractors] when no fact of enough categories can).
//   - The token is sealed (XChaCha20-Poly1305, purpose "quiz") and holds no answer in the
//     clear: only a per-session key and, per question, an HMAC of the correct option ID.
//     A token is finished once (replay guard); any change to it is [ErrNotAuthentic].
//     A sealed result (purpose "quiz/result/v1") is encrypted and authenticated the same
//     way, never opens as a quiz token nor the reverse, and expires [ResultMaxAge] after
//     its quiz finished; it is not single use.
//   - Two quizzes of one subject within RememberFor, even ones begun at the same moment,
//     share no fact and no shown value: the facts and values are claimed atomically in
//     the [AskedStore], and a Begin that loses the race gets [ErrConcurrentQuiz].
//   - Scoring compares the MACs in constant time, scores every question and reveals only
//     the overall outcome.
//   - No attempt store or asked store sees a subject, a device or a fact in the clear:
//     their keys and IDs are HMAC-SHA-256 under Config.IndexKey.
//   - Errors and every output form of [Fact], [Option], [Question], [Challenge] and
//     [Result] (String, GoString, Format with any verb, LogValue, MarshalJSON) never
//     contain a fact, an option text, a subject or a token in the clear. The one exception
//     is [Challenge.ClientJSON], which carries the option texts for the applicant's
//     device and must not be logged.
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
//   - Distractors are kept from repeating only within RememberFor. Someone who sees
//     many quizzes of one subject over a longer time can still learn by elimination
//     which values of a small pool are never offered as distractors; hosts should keep
//     pools large (the more values of the answer's shape, the better).
//   - Shape is not content: distractors that are implausible to a reader (a street that
//     is not in the city, an employer in the wrong trade) still give the answer away. So
//     may glyphs of one class that render at different widths. The distractor source
//     must draw from values that a person could really have.
//   - Per-subject lockout lets anyone who knows a subject lock its owner out for the
//     cool-off; that is the price of capping guesses.
//   - The in-memory stores hold state per process; a fleet needs shared stores (run the
//     quiztest suites against them; module redisstore has a Redis AskedStore).
//   - Anyone holding Config.IndexKey and a store's contents can confirm a guessed subject
//     or fact: the HMACs hide values from the store, not from the key holder.
package quiz
