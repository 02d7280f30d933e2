// Package streamclient simulates Stream Chat's client-side API, the one a
// browser's stream-chat (1.x, as the tutorial's dashboard pins it, and 9.x)
// speaks: REST with a user's JWT and the /connect WebSocket that carries
// events. It sits beside the server-side fake (streamhook/streamtest) and
// shares its state: a message a browser sends is stored there and pushed to
// the bridge's webhook, and what the bridge writes reaches the browsers as
// message.new, message.updated, notification.message_new and
// channel.updated events, routed by cid.
//
// It is sandbox support: only internal/dev links it (-tags sandbox), and
// cmd/smsbridge/deps_test.go keeps it out of the service's binary.
package streamclient
