// Package metrics defines smsbridge's Prometheus metrics (docs/contract.md §5).
// Label values are bounded (routes, outcomes, operations, status codes);
// never a phone number, a message id or a body. It imports no smsbridge
// package.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors and the registry they live in. A nil
// *Metrics is valid and records nothing, which keeps adapters' tests short.
type Metrics struct {
	registry        *prometheus.Registry
	httpRequests    *prometheus.CounterVec
	httpDuration    *prometheus.HistogramVec
	inbound         *prometheus.CounterVec
	unlisted        *prometheus.CounterVec
	outbound        *prometheus.CounterVec
	upstream        *prometheus.CounterVec
	upstreamLatency *prometheus.HistogramVec
	storeUp         prometheus.Gauge
	storeWriteErrs  prometheus.Counter
	streamQuota     *prometheus.GaugeVec
	streamDeferred  *prometheus.CounterVec
}

// New registers every collector in a fresh registry (plus Go and process
// collectors), so several instances can live in one test process.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smsbridge_http_requests_total", Help: "HTTP requests served, by route and status.",
		}, []string{"route", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "smsbridge_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		inbound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smsbridge_inbound_sms_total", Help: "Inbound SMS relayed into chat, by outcome and location.",
		}, []string{"outcome", "location"}),
		unlisted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smsbridge_inbound_unlisted_total",
			Help: "Inbound messages to a clinic number no location lists, stored in the first location (label).",
		}, []string{"location"}),
		outbound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smsbridge_outbound_sms_total", Help: "Outbound SMS (chat replies and reminders), by outcome.",
		}, []string{"outcome"}),
		upstream: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smsbridge_upstream_requests_total", Help: "Calls to Stream and Twilio, by service, operation and status.",
		}, []string{"service", "operation", "status"}),
		storeUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "smsbridge_coordination_store_up",
			Help: "1 while the shared coordination store (Redis) answers, 0 while this replica works from its own memory; absent without REDIS_URL.",
		}),
		storeWriteErrs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "smsbridge_coordination_store_write_errors_total",
			Help: "Writes the coordination store (Redis) refused or did not answer (OOM, READONLY, a timeout); each moves this replica to its memory for a while.",
		}),
		streamQuota: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "smsbridge_stream_quota_remaining",
			Help: "Calls left in Stream's current rate-limit window, by endpoint, as last seen (X-RateLimit-Remaining).",
		}, []string{"operation"}),
		streamDeferred: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smsbridge_stream_calls_deferred_total",
			Help: "Stream calls held back by the rate limit, by endpoint, priority and what happened: waited for the window to turn, or refused (the caller retries).",
		}, []string{"operation", "priority", "how"}),
		upstreamLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "smsbridge_upstream_duration_seconds", Help: "Latency of calls to Stream and Twilio.",
			Buckets: prometheus.DefBuckets,
		}, []string{"service", "operation"}),
	}
	m.registry.MustRegister(m.httpRequests, m.httpDuration, m.inbound, m.unlisted, m.outbound, m.upstream, m.upstreamLatency,
		m.storeUp, m.storeWriteErrs, m.streamQuota, m.streamDeferred,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// StoreUp sets the coordination store gauge: whether Redis answers.
func (m *Metrics) StoreUp(up bool) {
	if m == nil {
		return
	}
	v := 0.0
	if up {
		v = 1
	}
	m.storeUp.Set(v)
}

// StoreWriteError counts a write the coordination store failed.
func (m *Metrics) StoreWriteError() {
	if m == nil {
		return
	}
	m.storeWriteErrs.Inc()
}

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// HTTPRequest records one served request. route is the route pattern.
func (m *Metrics) HTTPRequest(route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route).Observe(d.Seconds())
}

// Inbound counts an inbound relay outcome at a location. The location is a
// configured id (or "unknown" for a message that was not relayed), so the
// label stays bounded by LOCATIONS_FILE.
func (m *Metrics) Inbound(outcome, location string) {
	if m != nil {
		m.inbound.WithLabelValues(outcome, location).Inc()
	}
}

// Unlisted counts a message to a number no location lists, stored at the
// location (the first).
func (m *Metrics) Unlisted(location string) {
	if m != nil {
		m.unlisted.WithLabelValues(location).Inc()
	}
}

// Outbound counts an outbound relay outcome.
func (m *Metrics) Outbound(outcome string) {
	if m != nil {
		m.outbound.WithLabelValues(outcome).Inc()
	}
}

// Upstream records one call to a vendor. status is the HTTP status as text,
// or a word such as "timeout" or "network" when there was no answer.
func (m *Metrics) Upstream(service, operation, status string, d time.Duration) {
	if m == nil {
		return
	}
	m.upstream.WithLabelValues(service, operation, status).Inc()
	m.upstreamLatency.WithLabelValues(service, operation).Observe(d.Seconds())
}

// StreamQuota records the calls left in an endpoint's window.
func (m *Metrics) StreamQuota(operation string, remaining int) {
	if m != nil {
		m.streamQuota.WithLabelValues(operation).Set(float64(remaining))
	}
}

// StreamDeferred counts a Stream call held back by the rate limit.
func (m *Metrics) StreamDeferred(operation, priority, how string) {
	if m != nil {
		m.streamDeferred.WithLabelValues(operation, priority, how).Inc()
	}
}
