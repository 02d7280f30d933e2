// Package deploy holds smsbridge's deployment files, Kubernetes manifests in
// kubernetes/ (a kustomize base and a Redis overlay) and, at the repository
// root, docker-compose.yml, and the tests that render them as the tools do
// and hold them to what an operator relies on. It has no code of its own;
// nothing imports it.
package deploy
