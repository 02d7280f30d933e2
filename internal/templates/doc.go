// Package templates holds the clinic's reminder templates (REMINDER_TEMPLATES,
// docs/reminders.md): it reads the YAML file, lists the templates with their
// placeholders, and resolves a reminder's text from either a typed
// messageText or a template and its params (Set.Resolve, the one place every
// reminder path gets its text from).
//
// Its errors are bridge errors (kind and machine code), so the server's one
// error table answers them. It must import only the standard library, the
// YAML decoder and package bridge.
package templates
