#!/usr/bin/env bash
# Functional test of a PeatMesh formation on Kubernetes (docs/deployment.md, "Functional testing"):
# creates a k3d cluster, builds and imports the node image, installs the Helm chart, waits for the rollout,
# checks the logs and the peer lists, writes a document through pod 0's broker and reads it through pod 2's,
# deletes it through pod 2 and sees the tombstone on pod 0, restarts pod 1 and checks that its identity and
# data survived. Everything it created is removed on exit (KEEP_CLUSTER=1 keeps the cluster for inspection).
#
# Needs: docker (with BuildKit), k3d, kubectl, helm, curl, jq, openssl. Run from anywhere in the repository.
# Usage: scripts/functional-test.sh            (environment overrides: see the variables below)
set -euo pipefail

CLUSTER="${CLUSTER:-peat-mesh-ft}"
NAMESPACE="${NAMESPACE:-peat-ft}"
RELEASE="${RELEASE:-peat-mesh}"
IMAGE_REPOSITORY="${IMAGE_REPOSITORY:-peat-mesh-node}"
IMAGE_TAG="${IMAGE_TAG:-ft}"
REPLICAS="${REPLICAS:-3}"
TIMEOUT_SECONDS="${TIMEOUT_SECONDS:-180}"
LOCAL_PORT_A="${LOCAL_PORT_A:-18081}"
LOCAL_PORT_B="${LOCAL_PORT_B:-18082}"
KEEP_CLUSTER="${KEEP_CLUSTER:-0}"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work_dir="$(mktemp -d "${TMPDIR:-/tmp}/peat-ft.XXXXXX")"
forward_pids=()
cluster_created=0

log() { printf '[functional-test] %s\n' "$*"; }
fail() { printf '[functional-test] FAILED: %s\n' "$*" >&2; exit 1; }

cleanup() {
  local status=$?
  for pid in "${forward_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ] && [ "$cluster_created" -eq 1 ]; then
    log "pods and their last log lines, for the failure above:"
    kubectl -n "$NAMESPACE" get pods -o wide || true
    for ((i = 0; i < REPLICAS; i++)); do
      kubectl -n "$NAMESPACE" logs "$(pod "$i")" --tail=40 || true
    done
  fi
  if [ "$cluster_created" -eq 1 ] && [ "$KEEP_CLUSTER" != "1" ]; then
    log "deleting cluster $CLUSTER"
    k3d cluster delete "$CLUSTER" >/dev/null 2>&1 || true
  fi
  rm -rf "$work_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The chart's full name: the release name when it contains "peat-mesh", else "<release>-peat-mesh".
if [[ "$RELEASE" == *peat-mesh* ]]; then fullname="$RELEASE"; else fullname="$RELEASE-peat-mesh"; fi
pod() { printf '%s-%s' "$fullname" "$1"; }

# wait_until DESCRIPTION COMMAND...: runs COMMAND every 2 s until it succeeds or TIMEOUT_SECONDS pass.
wait_until() {
  local description="$1"
  shift
  local deadline=$((SECONDS + TIMEOUT_SECONDS))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      fail "timed out after ${TIMEOUT_SECONDS}s waiting for: $description"
    fi
    sleep 2
  done
  log "ok: $description"
}

for tool in docker k3d kubectl helm curl jq openssl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done

log "creating k3d cluster $CLUSTER"
k3d cluster create "$CLUSTER" --agents 2 --wait >/dev/null
cluster_created=1
kubectl config use-context "k3d-$CLUSTER" >/dev/null

log "building image $IMAGE_REPOSITORY:$IMAGE_TAG"
docker build -f "$repo_root/deploy/Dockerfile" -t "$IMAGE_REPOSITORY:$IMAGE_TAG" "$repo_root"
k3d image import "$IMAGE_REPOSITORY:$IMAGE_TAG" -c "$CLUSTER"

log "installing release $RELEASE ($REPLICAS members) in namespace $NAMESPACE"
helm install "$RELEASE" "$repo_root/deploy/helm/peat-mesh" --namespace "$NAMESPACE" --create-namespace \
  --set replicaCount="$REPLICAS" \
  --set image.repository="$IMAGE_REPOSITORY" --set image.tag="$IMAGE_TAG" --set image.pullPolicy=Never \
  --set formationSecret="$(openssl rand -base64 32)" \
  --wait --timeout "${TIMEOUT_SECONDS}s"
kubectl -n "$NAMESPACE" rollout status "statefulset/$fullname" --timeout="${TIMEOUT_SECONDS}s"

# --- logs: every member started its mesh and connected to every other member
peers_in_log() { kubectl -n "$NAMESPACE" logs "$1" | grep -c 'Peer connected' || true; }
has_all_peer_lines() { [ "$(peers_in_log "$1")" -ge $((REPLICAS - 1)) ]; }
declare -A device_ids
for ((i = 0; i < REPLICAS; i++)); do
  p="$(pod "$i")"
  wait_until "$p logs 'Mesh started'" sh -c "kubectl -n '$NAMESPACE' logs '$p' | grep -q 'Mesh started'"
  device_ids[$p]="$(kubectl -n "$NAMESPACE" logs "$p" | grep -o 'Mesh started.*device_id=[0-9a-f]*' | head -n 1 | grep -o 'device_id=[0-9a-f]*')"
  [ -n "${device_ids[$p]}" ] || fail "$p logged no device_id"
  wait_until "$p logs 'Peer connected' for $((REPLICAS - 1)) peers" has_all_peer_lines "$p"
  errors="$(kubectl -n "$NAMESPACE" logs "$p" | grep -ci 'error' || true)"
  if [ "$errors" -ne 0 ]; then log "warning: $p logged $errors line(s) containing 'error'"; fi
done

# --- brokers of pod 0 and pod 2 through port-forwards
start_forward() {
  local target="$1" local_port="$2"
  kubectl -n "$NAMESPACE" port-forward "pod/$target" "$local_port:8081" >"$work_dir/forward-$target.log" 2>&1 &
  forward_pids+=("$!")
  wait_until "port-forward to $target on 127.0.0.1:$local_port" curl -fsS "http://127.0.0.1:$local_port/api/v1/health"
}
last=$((REPLICAS - 1))
second="$(( last < 2 ? last : 2 ))"
broker_a="http://127.0.0.1:$LOCAL_PORT_A/api/v1"
broker_b="http://127.0.0.1:$LOCAL_PORT_B/api/v1"
start_forward "$(pod 0)" "$LOCAL_PORT_A"
start_forward "$(pod "$second")" "$LOCAL_PORT_B"

peer_count_is() { [ "$(curl -fsS "$1/peers" | jq -r '.count')" -eq "$2" ]; }
wait_until "$(pod 0) /peers lists $((REPLICAS - 1)) peers" peer_count_is "$broker_a" $((REPLICAS - 1))
wait_until "$(pod "$second") /peers lists $((REPLICAS - 1)) peers" peer_count_is "$broker_b" $((REPLICAS - 1))
curl -fsS "$broker_a/topology" | jq -e '.' >/dev/null || fail "/topology did not return JSON"

# --- a document written on pod 0 is read on pod 2; its deletion on pod 2 reaches pod 0
doc_id="ft-$(openssl rand -hex 6)"
nonce="$(openssl rand -hex 16)"
curl -fsS -X PUT "$broker_a/documents/functional/$doc_id" -H 'Content-Type: application/json' \
  -d "{\"written_by\":\"$(pod 0)\",\"nonce\":\"$nonce\"}" >/dev/null
has_nonce() { [ "$(curl -fsS "$1/documents/functional/$doc_id" | jq -r '.document.nonce')" = "$nonce" ]; }
wait_until "document $doc_id written on $(pod 0) readable on $(pod "$second")" has_nonce "$broker_b"

curl -fsS -X PATCH "$broker_b/documents/functional/$doc_id" -H 'Content-Type: application/merge-patch+json' \
  -d "{\"patched_by\":\"$(pod "$second")\"}" >/dev/null
is_patched() { [ "$(curl -fsS "$broker_a/documents/functional/$doc_id" | jq -r '.document.patched_by')" = "$(pod "$second")" ]; }
wait_until "patch on $(pod "$second") visible on $(pod 0)" is_patched

# --- restart: pod 1 keeps its device_id (derived from secret + pod name) and its data (PVC)
if [ "$REPLICAS" -ge 2 ]; then
  restarted="$(pod 1)"
  kubectl -n "$NAMESPACE" delete pod "$restarted" --wait=true >/dev/null
  kubectl -n "$NAMESPACE" wait --for=condition=Ready "pod/$restarted" --timeout="${TIMEOUT_SECONDS}s" >/dev/null
  wait_until "$restarted logs 'Mesh started' after restart" sh -c "kubectl -n '$NAMESPACE' logs '$restarted' | grep -q 'Mesh started'"
  after="$(kubectl -n "$NAMESPACE" logs "$restarted" | grep -o 'Mesh started.*device_id=[0-9a-f]*' | head -n 1 | grep -o 'device_id=[0-9a-f]*')"
  [ "$after" = "${device_ids[$restarted]}" ] || fail "$restarted changed identity: ${device_ids[$restarted]} -> $after"
  log "ok: $restarted kept ${after}"
  wait_until "$restarted still holds document $doc_id" \
    sh -c "kubectl -n '$NAMESPACE' exec '$restarted' -- curl -fsS http://127.0.0.1:8081/api/v1/documents/functional/$doc_id | grep -q '$nonce'"
fi

curl -fsS -X DELETE "$broker_b/documents/functional/$doc_id" >/dev/null
is_gone() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$broker_a/documents/functional/$doc_id")" = "404" ]; }
wait_until "delete on $(pod "$second") replicated to $(pod 0) as a tombstone" is_gone

log "PASSED: $REPLICAS members, mesh formed, document written/patched/deleted across pods, identity and data survived a restart"
