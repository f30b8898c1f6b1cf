import Testing
@testable import MailgateMIME

@Suite struct DateTests {
    @Test func rfc5322Forms() {
        #expect(date("Sat, 28 Nov 2026 11:59:58 +0000") == "2026-11-28T11:59:58Z")
        #expect(date("Sat, 28 Nov 2026 13:59:58 +0200") == "2026-11-28T11:59:58Z")
        #expect(date("28 Nov 2026 06:59:58 -0500") == "2026-11-28T11:59:58Z")       // no day name
        #expect(date("Sat, 28 Nov 2026 11:59 +0000") == "2026-11-28T11:59:00Z")     // no seconds
        #expect(date("Sat, 1 Jan 2000 00:30:00 +0100") == "1999-12-31T23:30:00Z")   // crosses the year
        #expect(date(" Sat , 28 Nov 2026 11:59:58 +0000 (UTC)") == "2026-11-28T11:59:58Z")
        #expect(date("Sat, 28\r\n Nov 2026 11:59:58 +0000") == "2026-11-28T11:59:58Z")
        #expect(date("Sat, 29 Feb 2028 00:00:00 +0000") == "2028-02-29T00:00:00Z")
    }

    @Test func obsoleteForms() {
        #expect(date("Sat, 28 Nov 26 11:59:58 GMT") == "2026-11-28T11:59:58Z")       // 2-digit year < 50
        #expect(date("Fri, 13 Mar 98 10:00:00 EST") == "1998-03-13T15:00:00Z")      // 2-digit year ≥ 50, EST
        #expect(date("Sat, 28 Nov 126 11:59:58 UT") == "2026-11-28T11:59:58Z")      // 3-digit year
        #expect(date("Sat, 28 Nov 2026 04:59:58 PDT") == "2026-11-28T11:59:58Z")
        #expect(date("Sat, 28 Nov 2026 03:59:58 PST") == "2026-11-28T11:59:58Z")
        #expect(date("Sat, 28 Nov 2026 05:59:58 CST") == "2026-11-28T11:59:58Z")
        #expect(date("Sat, 28 Nov 2026 05:59:58 MDT") == "2026-11-28T11:59:58Z")
        #expect(date("Sat, 28 Nov 2026 11:59:58 Z") == "2026-11-28T11:59:58Z")
        #expect(date("Sat, 28 Nov 2026 11:59:58 A") == "2026-11-28T11:59:58Z")      // military: -0000
        #expect(date("Sat, 28 Nov 2026 11:59:58") == "2026-11-28T11:59:58Z")        // no zone
        #expect(date("Sat, 28-Nov-2026 11:59:58 +0000") == "2026-11-28T11:59:58Z")
        #expect(date("Sat Nov 28 11:59:58 2026") == "2026-11-28T11:59:58Z")         // asctime
        #expect(date("Saturday, 28 November 2026 11:59:58 +0000") == "2026-11-28T11:59:58Z")
    }

    @Test func unparseableIsNil() {
        #expect(date("") == nil)
        #expect(date("yesterday") == nil)
        #expect(date("Sat, 31 Feb 2026 11:59:58 +0000") == nil)
        #expect(date("Sat, 28 Foo 2026 11:59:58 +0000") == nil)
        #expect(date("Sat, 28 Nov 2026 25:00:00 +0000") == nil)
        #expect(date("Sat, 28 Nov 2026") == nil)
        #expect(date("Sat, 28 Nov 99999999 11:59:58 +0000") == nil)
        #expect(parse("Date: garbage\n\n").date == nil)
        #expect(parse("Date: Sat, 28 Nov 2026 11:59:58 +0000\nDate: Sun, 29 Nov 2026 11:59:58 +0000\n\n").date == "2026-11-28T11:59:58Z")
    }
}
