// Package docnum checks the numbers of the credentials a trustid wallet holds,
// other than the resident ID number itself (which is verify/idcard's): PRC
// passports, the Hong Kong/Macao and Taiwan travel permits, the driving
// licence file number, vehicle number plates and VINs.
//
// Every check is about form and internal consistency only. A number that
// passes proves nothing about the existence, validity or holder of a
// document: that needs the authoritative registry (see package verify).
// The package imports only the standard library.
//
// # Formats, rules and sources
//
// Input is folded before it is checked: lower-case ASCII letters and the
// full-width forms of ASCII letters, digits and parentheses (as typed with a
// Chinese input method or read by OCR) become upper-case ASCII. Nothing is
// trimmed; apart from the one plate separator described below, spaces and
// punctuation are errors. Each Number method returns the canonical form.
//
//   - [FormatPassport], [ParsePassport]: 9 characters. E + 8 digits (ordinary
//     e-passport from 2012); E + a letter other than I and O + 7 digits
//     (from 5 April 2017, when the E + 8 digit range ran out); G + 8 digits
//     (ordinary passports before 2012); DE, SE, PE + 7 digits (diplomatic,
//     service and public-affairs passports); K + 8 digits (Hong Kong SAR
//     passport); MA + 7 digits (Macao SAR passport). Sources: the National
//     Immigration Administration's public descriptions for E; the others as
//     commonly published and as listed in the trustid issue, not confirmed
//     against an official text. Not accepted: older booklet series (14/15 +
//     7 digits, D/S/P forms with 7 or 8 digits) that have long expired.
//   - [FormatForeignPassport], [ParseForeignPassport]: 1 to 9 characters A-Z,
//     0-9, the ICAO Doc 9303 document number alphabet. Explicitly weaker: no
//     series, no check digit.
//   - [FormatHKMacaoExitEntryPermit], [ParseHKMacaoExitEntryPermit], 往来港澳
//     通行证 (mainland residents): C + 8 digits (card from May 2014); C + a
//     letter other than I and O + 7 digits (NIA notice of 10 December 2018,
//     first number CA0000001); W + 8 digits (booklet, as listed in the issue).
//   - [FormatHKMacaoResidentsPermit], [ParseHKMacaoResidentsPermit], 港澳居民来往
//     内地通行证: H (Hong Kong) or M (Macao) + 8-digit lifetime number,
//     optionally + 2-digit renewal count (MPS "港澳居民来往内地通行证号码规则",
//     2010: 11 characters, count 00 at first issue).
//   - [FormatTaiwanExitEntryPermit], [ParseTaiwanExitEntryPermit], 往来台湾通行证
//     (mainland residents): L + 8 digits (card), T + 8 digits (booklet). Both
//     as listed in the issue; not confirmed against an official text.
//   - [FormatTaiwanResidentsPermit], [ParseTaiwanResidentsPermit], 台湾居民来往
//     大陆通行证: 8-digit lifetime number (since 25 September 2008); the older
//     10 digits (lifetime number + issue count), optionally followed by the
//     issuing office code, a letter or digit, in brackets: 1234567801(B).
//     That bracketed character is an office code, not a check character, so
//     nothing is verified about it beyond its alphabet.
//   - [FormatDrivingLicenceArchive], [ParseArchiveNumber]: the driving licence
//     file number (档案编号), 12 digits. No region or check digit rule is
//     enforced (none published was found). The licence number itself is the
//     holder's resident ID number: check it with verify/idcard.
//   - [FormatPlate], [ParsePlate]: civil motor vehicle plates per GA 36-2018:
//     a province abbreviation (one of 31), an authority letter (A-Z without I
//     and O), an optional separator (middle dot U+00B7 and look-alikes,
//     space, ideographic space, dot, hyphen), then 5 letters or digits
//     (ordinary), 6 (new-energy: small = power letter + letter or digit + 4
//     digits, large = 5 digits + power letter; power letters D, A, B, C, E
//     pure electric and F, G, H, J, K other), or 4 + a use character (学 警
//     领 港 澳 挂). I and O never appear. The power letters beyond D and F
//     follow the later extension of the standard and are accepted for large
//     plates too, where this package is not sure they are issued.
//   - [FormatVIN], [ParseVIN]: 17 characters without I, O, Q (ISO 3779); check
//     digit at position 9 (mandatory in China under GB 16735; algorithm of
//     49 CFR 565.15: transliteration A-H=1-8, J-N=1-5, P=7, R=9, S-Z=2-9,
//     weights 8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2, sum modulo 11, 10 = X).
//     [ParseVINUnchecked] skips the check digit for VINs from markets that
//     do not use it. [VIN.ModelYear] decodes position 10 within a 30-year
//     cycle chosen by the caller.
//
// Residence permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住
// 证) carry an 18-digit number that follows the resident ID number rules with
// the address codes 810000, 820000 and 830000: check them with verify/idcard;
// there is nothing for this package to add. The same holds for the household
// register (户口簿), whose entries are identified by the resident ID number.
//
// # Errors
//
// Every parser returns either a value or an [*Error] that matches exactly one
// of [ErrLength], [ErrCharacter], [ErrChecksum], [ErrPrefix], [ErrProvince]
// and [ErrFormat] with errors.Is, and carries the [Format], a [Reason] and the
// 1-based position (in characters of the input) of the first wrong
// character. Errors never contain the input.
//
// # Security
//
// Passport and permit numbers and archive numbers are personal data; plates
// and VINs link to a person through registration. Their String, Format
// (every verb, including %#v) and LogValue methods print masked forms:
// E1*****78 for a passport, 京A·***45 for a plate (serial masked but for its
// last two characters), 1M8GDM9AXKP****** for a VIN (positions 12-17, the
// serial number, masked). Number returns the full value for storage and
// comparison; do not log it. The parsed types keep their fields unexported,
// so encoding/json sees nothing to marshal.
//
// What is not guaranteed: that a number was ever issued, that it belongs to
// the person presenting it, that it has not expired or been revoked, that a
// plate matches the vehicle or the VIN the vehicle. Parsing takes time that
// depends on the input; no number here is a secret.
package docnum
