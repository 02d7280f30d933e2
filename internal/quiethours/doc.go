// Package quiethours decides when a reminder may reach a patient
// (QUIET_HOURS, docs/reminders.md): a daily window of wall-clock time, such
// as 20:00-08:00, in each of the time zones the patient's number belongs to
// (github.com/nyaruka/phonenumbers), or QUIET_HOURS_TZ when the number gives
// none. A time is quiet when it is quiet in any of them. Times are computed
// on the local wall clock, so the window keeps its hours across
// daylight-saving changes.
//
// It must import only the standard library (with its embedded time zone
// database, so a container without /usr/share/zoneinfo works),
// phonenumbers and package bridge.
package quiethours
