// Package verify checks a claimed identity against the host's authoritative registry
// (人证核验) and combines the three factors of the "Internet + trusted identity" model —
// the document check, the real-person check and the memory check — into a [Decision]:
// an assurance [Level], an [Outcome] (pass, fail or review) and machine-readable [Reason]
// codes for every rule that decided, each with a message in Chinese and English
// ([Reason.Message]), so that a rejected applicant is always told why.
//
// # Flow
//
//	checker, _ := verify.New(verify.Config{Registry: reg, SubjectKey: subjectKey, Keys: sealKeys,
//		Policy: verify.Policy{Required: verify.LevelHigh}})
//	doc, err := checker.CheckDocument(ctx, claim) // err: registry system failure only
//	// liveness: BeginRequest{Subject: doc.Subject, CheckID: doc.CheckID, Reference: doc.PhotoRef, Consent: ...}
//	// quiz:     BeginRequest{Subject: doc.Subject, CheckID: doc.CheckID, ...}
//	d := checker.Decide(doc, livenessResult, quizResult) // nil evidence = not performed
//	// d.Token is the sealed decision: the wallet links on it, until d.ValidUntil.
//
// The evidence of the other two factors is consumed through the small interfaces
// [RealPersonEvidence] (implemented by *liveness.Result) and [MemoryEvidence]
// (implemented by *quiz.Result); verify imports neither package.
//
// # The evidence chain
//
// Every piece of evidence is bound to one person, one document check and one moment:
//
//   - One person, one subject. [DocumentResult.Subject] is an HMAC under
//     Config.SubjectKey of the person's canonical identity: the 18-character resident ID
//     number for every kind numbered by it (ID card, household register, residence
//     permit — including the Hong Kong, Macao and Taiwan residents' permits and the
//     foreign permanent residence card — and driving licence), the holder's number where
//     the registry records it for a passport or permit ([Record.HolderID]), and the
//     document's own kind and number otherwise. Claiming another kind of the same
//     person's documents gives the same subject, so the attempt limits and quiz memory
//     keyed on it cannot be reset that way; a host's own account IDs play no part.
//   - One document check. [DocumentResult.CheckID] (128 random bits) is handed to the
//     liveness and quiz sessions, whose results name it; Decide refuses evidence begun
//     for another check, real-person evidence matched against another photo than
//     [DocumentResult.PhotoRef], and evidence completed before the check
//     (evidence_mismatch), as well as evidence about another subject (subject_mismatch).
//   - Fresh. [Policy].MaxAge gives each factor's maximum age ([Freshness]: minutes, not
//     days); older evidence fails the decision (evidence_stale), and
//     [Decision.ValidUntil] ends with the oldest evidence.
//   - Authenticated. [Checker.Decide] seals its decision into [Decision.Token] under
//     Config.Keys; the wallet accepts only a decision it opens ([DecisionSealer]), so a
//     Decision built by hand, or edited, or from another deployment, links nothing. A
//     journey that spans servers carries [Checker.SealDocument] tokens (and the factors'
//     own sealed results) from one instance to the next; any instance holding the keys
//     opens them, nobody else can read or make them.
//
// # The registry
//
// [Registry] is the host's gateway to the authoritative source; [MemoryRegistry] is the
// in-memory default, loadable from JSON ([LoadRegistry]; testdata/registry.json holds
// synthetic people, made by internal/fixturegen). Not found is [ErrNotFound]; any other
// error is a system failure, which [Checker.CheckDocument] returns wrapped in
// [ErrUnavailable] and never turns into "no match". Package verify/verifytest is the
// conformance suite for host adapters.
//
// # Input limits
//
// Every claimed field has a byte limit, checked before anything else — before any
// normalisation and without a registry call — so that an oversized claim costs no
// more than a small one: [MaxNameBytes] (256) for Name, LatinName, Nationality and
// Ethnicity, [MaxAddressBytes] (1024) for Address, [MaxNumberBytes] (128) for Number.
// A field over its limit fails the document check with field_too_long; a field holding
// invalid UTF-8 or a bidirectional control fails with field_invalid_text. These are
// the applicant's input, so they are reasons in a failed [DocumentResult], not errors;
// they are decided from the claim alone and say nothing about any record.
// [MemoryRegistry.Add], [NewMemoryRegistry] and
// [LoadRegistry] hold a record's compared fields to the same limits and refuse a record
// over them with an [*Error] naming the field. The exported Match functions treat a
// side over its limit as a mismatch, and the Normalize functions and [LatinNameForms]
// read at most [MaxNormalizeBytes] of their input, so every one of them does bounded
// work on input of any length.
//
// # Matching
//
// Each claimed field is compared with the record and reported as match, lenient match,
// mismatch, not provided or not in record ([Fields]). Names are normalised by
// [NormalizeName]: NFKC, width folding, upper case (ß and ẞ as SS, İ as I), white space
// collapsed, format characters and invisible fillers removed, CJK radicals mapped to
// their unified ideographs (⻄ is 西), hyphen and apostrophe variants folded, and every
// middle-dot look-alike in [DotLookalikes] folded to U+00B7 (阿依古丽・买买提 equals
// 阿依古丽·买买提); characters outside the BMP (𠮷 U+20BB7) are compared as they are. A
// name that matches only with its separators removed, or with a common substitute of
// the middle dot (。 — °), is a lenient match, which the [Policy] sends to review by
// default. A name holding invalid UTF-8, U+FFFD or a bidirectional control never
// matches (a right-to-left override makes 伟张 display as 张伟). Traditional and
// simplified characters (張偉, 张伟) are different unless Policy.TraditionalSimplified
// is set, for holders of Hong Kong, Macao and Taiwan permits; a name that matches only
// so is a lenient match with the reason name_traditional_simplified. Latin-script names
// are compared the ICAO Doc 9303 Part 3 way ([LatinNameForms], [MatchLatinName]):
// MÜLLER equals MUELLER and MULLER. Gender, birth date, nationality and ethnicity are
// compared exactly. An address matches leniently ([MatchAddress]) only when one address
// is the other without its leading province, prefecture or county-level divisions: a
// part of the address, an address with anything else added, and substrings never
// match, so the address check cannot be steered by joining candidate addresses or used
// to build the registry's address piece by piece; a mismatch follows its own policy.
// The name comes first: when it is missing or does not match, no other field is
// compared and only the name's reason is given. Resident ID numbers are validated with
// verify/idcard before the registry is asked; passport and travel permit numbers with
// verify/docnum.
//
// # Document status
//
// At the injected time (Config.Now, read as a calendar date in China Standard Time),
// a document fails when the registry reports it revoked, reported lost (or review, by
// policy), expired or of unknown status, when its validity has ended (the end date is
// the last valid day; 长期 long-term validity has none) or not yet begun, and when it is
// a first-generation 15-digit card presented on or after 1 January 2013
// ([LegacyCardCutoff], Decision of the NPC Standing Committee of 29 October 2011
// amending the Resident Identity Card Law).
//
// # Assurance levels
//
// The e-ID's own levels are kept; [Decision.IAL] maps a decision onto NIST SP 800-63A-4
// (2025), and [Decision.Pathway] records how the applicant was verified (§4.2.6):
//
//   - [LevelNone]: nothing established — "no identity proofing" (SP 800-63-4 §2.3).
//   - [LevelRealName] (实名): the name and number match the authoritative record and the
//     document is valid: resolution and validation with the issuing source, but no
//     verification of the applicant — anyone who knows a person's name and number
//     reaches it. IAL: none (IAL1, §4.1, needs a verification step). eIDAS (Regulation
//     910/2014, Implementing Regulation 2015/1502, annex 2.1.2): close to "low".
//   - [LevelRealPerson] (实人): real-name plus a liveness check and a face match against
//     the registry portrait: verification by the biometric pathway. IAL: IAL1 from the
//     library's evidence. IAL2 (§4.2) further needs STRONG or SUPERIOR evidence collected
//     from the applicant (for example the ID card's chip read and its signature checked),
//     a face matcher meeting §3.11 (1:1 FMR ≤ 1:10,000, FNMR ≤ 1:100, no demographic group
//     more than 25% worse at one threshold, PAD IAPAR < 0.07 per ISO/IEC 30107-3:2023 —
//     measured with package liveness/biometrics) and the injection defences of §3.14
//     (liveness device binding); a host that adds them may rely on IAL2 for a decision
//     whose Pathway is [PathwayBiometric]. eIDAS: "substantial" with the same additions.
//   - [LevelHigh]: real-person plus a passed memory quiz. SP 800-63A-4 §2.5.1 forbids
//     knowledge-based verification for identity verification, so the quiz contributes to
//     no IAL: LevelHigh supports exactly the IAL of LevelRealPerson, and the quiz is a
//     fraud-management signal (§3.2.1). eIDAS "high" also needs verified possession of
//     photo evidence and a means assessed as high: LevelHigh is "substantial with an
//     additional factor".
//
// IAL3 (§4.3) is on-site attended proofing with trained inspection of the physical
// evidence; a remote journey never reaches it. A referee's decision (§3.15) keeps the
// journey's pathway. The real-person [EvidenceRef] names the biometric consent that covered
// the check ([ConsentEvidence]).
//
// Fraud management (§3.2.1) runs beside the levels: [Checker.DecideContext] runs
// Config.FraudChecks after the policy — by default an in-memory [VelocityCheck] (people
// per device, devices per person) — and records each [FraudFinding] with the action it
// took in [Decision.Fraud]; [QuizSignal] uses the memory quiz as such a signal, and
// real-person evidence from a device with a risk under review makes the decision a review
// (device_risk_review). A flagged finding can only lower a decision, never raise it.
//
// # Security
//
// Guaranteed: a registry system failure never reads as "no match"; a malformed number
// never reaches the registry; a claim's cost is bounded by the input limits whatever
// its size; a failed name says nothing about the record's other fields, and the
// address check answers only "is this the address" (up to leading administrative
// divisions), never "does it contain this"; evidence about another subject, from
// another document check or photo, or stale, is refused; decisions and document
// results handed between servers are sealed (XChaCha20-Poly1305, internal/seal) and a
// hand-built one is never accepted; the zero
// [Outcome] is fail and the zero [Policy] is strict; every non-pass [Decision] carries
// a reason; no error, log line or %v / %+v / %#v / slog output of this package's types
// contains a full document number, a name, an address, a birth date or a photo
// reference (they are masked, e.g. 110105********002X); subject bindings are compared
// in constant time, derived by HMAC-SHA256 under Config.SubjectKey.
//
// Not established by this package: the trustworthiness, freshness and correctness of
// the host's registry (its statuses are taken as given); the authenticity of the
// physical document beyond the registry record (no chip reading, no image forensics);
// the quality of the host's frame analyser, presentation-attack detector and face
// matcher, which the real-person evidence only summarises; the strength of the quiz
// questions; that the person who passed is the one who will use the decision (a
// decision token is a bearer token until ValidUntil: keep it server-side).
// CheckDocument is an oracle — "does this name belong to this number?" — so hosts must
// rate-limit it per applicant and per number to stop enumeration with a
// [store.AttemptStore] ([store.NewMemoryAttemptStore] in one process, the redisstore module
// across servers). Reason codes tell an applicant which rule failed (the registry's record
// itself is never revealed), which is the trade-off the transparency requirement makes.
package verify

//go:generate go run ./internal/fixturegen -o testdata/registry.json
