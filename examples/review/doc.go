// Command review is a command-line review desk (认证审核台) for package verify/review:
// the certification workflow for cases that machines cannot decide alone.
//
// By default it runs a scripted demo on the in-memory defaults with a simulated clock:
//
//   - five synthetic applicants apply; an AutoChecker returns a verify.Decision that
//     needs review for some, a clear pass for one (approved automatically) and a clear
//     fail for another (rejected automatically, with the reasons);
//   - reviewers are assigned least-loaded first, never one with a declared conflict of
//     interest with the applicant, never one whose capacity is full;
//   - a reviewer requests a supplement, the applicant resubmits and is approved; another
//     application is rejected with reasons, told to the applicant in Chinese and English;
//   - the applicant's progress view, a refusal during the cool-off after a rejection, and
//     the rate-limit refusal of a too-frequent applicant;
//   - a year later, the certifications due for periodic re-review, expired by a sweep;
//   - the audit chain of a case, verified, then an exported copy tampered with: the
//     verification fails at the index of the edited record; a forger who recomputes the
//     hashes passes the chain check but not a signed checkpoint;
//   - a verification journey whose decision needs review (a name typed without its
//     middle dot): its sealed decision token goes into the application (a forged one is
//     refused), the reviewer approves it three days later as a trusted referee, and the
//     approval yields a sealed pass decision for the same person at the journey's level,
//     which the host hands to the wallet; the audit record names the referee, the level
//     and the rationale.
//
// Notifications go to a console Notifier; they carry no personal data by design, and
// names and ID numbers are printed masked only. Every person and number is synthetic
// (ID numbers from idcard.Generate).
//
// Run it with no set-up:
//
//	go run ./examples/review        # the scripted demo
//	go run ./examples/review -i     # an interactive desk reading commands from stdin ("help")
package main
