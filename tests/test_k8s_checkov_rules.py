"""Rules added for checkov's Kubernetes checks (issue 12): ingress-nginx snippet annotations
(CKV_K8S_152-154) and insecure control-plane flags in static pod manifests (CKV_K8S_68-151).
Each asserts rule, line, column and text."""

from kubelint.api import lint_text


def found(text: str, rule: str) -> list[tuple]:
    return [(f.rule, f.line, f.column, f.message) for f in lint_text(text, select=[rule])]


def test_each_snippet_annotation_is_reported_and_the_dangerous_ones_say_why():
    text = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Root: yes";
    nginx.org/location-snippets: "content_by_lua_block { ngx.say('hi') }"
    nginx.ingress.kubernetes.io/server-snippet: "location /f { root /etc; }"
    nginx.ingress.kubernetes.io/auth-snippet: "proxy_set_header X-Token /var/run/secrets/x;"
    example.com/snippet: "not an nginx controller's annotation"
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
"""
    exploit = "the shape of the CVE-2021-25742 exploit that reads the controller's credentials"
    assert found(text, "ingress-nginx-snippet") == [
        ("ingress-nginx-snippet", 6, 5,
         "Ingress 'web' uses the snippet annotation 'nginx.ingress.kubernetes.io/configuration-snippet': "
         "raw nginx configuration in the shared controller, refused by default since CVE-2021-25742"),
        ("ingress-nginx-snippet", 8, 5,
         f"Ingress 'web': snippet annotation 'nginx.org/location-snippets' holds Lua code, {exploit}"),
        ("ingress-nginx-snippet", 9, 5,
         "Ingress 'web': snippet annotation 'nginx.ingress.kubernetes.io/server-snippet' holds an alias or "
         f"root directive (serves files of the controller), {exploit}"),
        ("ingress-nginx-snippet", 10, 5,
         "Ingress 'web': snippet annotation 'nginx.ingress.kubernetes.io/auth-snippet' holds a path to "
         f"service account credentials, {exploit}"),
    ]


def test_snippets_on_other_kinds_and_the_controller_configmap_pass():
    """The controller's own ConfigMap (`server-snippet` set by the cluster admin) and a pod
    template's annotations are not Ingress annotations: only Ingress authors are the threat."""
    text = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  annotations:
    nginx.ingress.kubernetes.io/server-snippet: "x"
data:
  server-snippet: |
    location /healthz { return 200; }
"""
    assert found(text, "ingress-nginx-snippet") == []


CONTROL_PLANE = """\
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.2
      command: [/usr/local/bin/kube-apiserver]
      args:
        - --insecure-port=8080
        - --token-auth-file=/etc/tokens.csv
        - --enable-admission-plugins=NodeRestriction,AlwaysAdmit
        - --service-account-lookup=False
        - --secure-port
        - "0"
---
apiVersion: v1
kind: Pod
metadata:
  name: node
spec:
  containers:
    - name: kubelet
      image: registry.k8s.io/hyperkube:v1.18.0
      command: [/hyperkube, kubelet, --anonymous-auth, --read-only-port=10255, --authorization-mode=Webhook]
    - name: etcd
      image: quay.io/coreos/etcd:v3.5.0
      command: [etcd, -auto-tls]
      env:
        - {name: ETCD_LISTEN_CLIENT_URLS, value: "http://0.0.0.0:2379"}
"""


def test_control_plane_flags_that_open_the_cluster():
    cp = "control-plane-flag"
    assert found(CONTROL_PLANE, cp) == [
        (cp, 10, 17, "kube-apiserver in container 'kube-apiserver' runs without --authorization-mode, whose default "
                     "is the insecure value: every request is allowed, anonymous ones included"),
        (cp, 12, 11, "kube-apiserver in container 'kube-apiserver' runs with --insecure-port=8080: a port with no "
                     "authentication or authorization, so whoever reaches it is cluster admin"),
        (cp, 13, 11, "kube-apiserver in container 'kube-apiserver' runs with --token-auth-file=/etc/tokens.csv: "
                     "static bearer tokens that never expire and are revoked only by a restart"),
        (cp, 14, 11, "kube-apiserver in container 'kube-apiserver' runs with "
                     "--enable-admission-plugins=NodeRestriction,AlwaysAdmit: every request passes admission, "
                     "bypassing every admission policy"),
        (cp, 15, 11, "kube-apiserver in container 'kube-apiserver' runs with --service-account-lookup=False: "
                     "tokens of deleted ServiceAccounts stay valid"),
        (cp, 16, 11, "kube-apiserver in container 'kube-apiserver' runs with --secure-port 0: "
                     "the API server serves no TLS port"),
        (cp, 27, 38, "kubelet in container 'kubelet' runs with --anonymous-auth: "
                     "unauthenticated requests reach the kubelet API"),
        (cp, 27, 56, "kubelet in container 'kubelet' runs with --read-only-port=10255: "
                     "an unauthenticated port that lists the node's pods and their settings"),
        (cp, 30, 17, "etcd in container 'etcd' runs without --client-cert-auth, whose default is the insecure value: "
                     "any client that reaches it reads and writes every key, all Secrets included"),
        (cp, 30, 23, "etcd in container 'etcd' runs with -auto-tls: a self-signed certificate that no client can verify"),
    ]


def test_control_plane_flags_read_as_the_components_read_them():
    """The last flag wins; another way to configure authorization excuses the missing flag; an
    etcd that listens on loopback only, or says client-cert-auth through ETCD_*, needs none; a
    shell script and programs that only look like a component are not read."""
    text = """\
apiVersion: v1
kind: Pod
metadata:
  name: control-plane
spec:
  containers:
    - name: apiserver
      image: registry.k8s.io/hyperkube:v1.18.0
      command: [/hyperkube, apiserver, --authorization-mode=AlwaysAllow, --authorization-mode=Node,RBAC]
    - name: structured
      image: registry.k8s.io/kube-apiserver:v1.31.2
      command: [kube-apiserver, --authorization-config=/etc/kubernetes/authz.yaml]
    - name: etcd-local
      image: registry.k8s.io/etcd:3.5.15-0
      command: [etcd, --listen-client-urls, "http://127.0.0.1:2379,http://localhost:2379"]
    - name: etcd-env
      image: registry.k8s.io/etcd:3.5.15-0
      command: [etcd, "--listen-client-urls=https://0.0.0.0:2379"]
      env:
        - {name: ETCD_CLIENT_CERT_AUTH, value: "true"}
    - name: etcd-default
      image: registry.k8s.io/etcd:3.5.15-0
      command: [etcd]
    - name: shell
      image: registry.k8s.io/kube-apiserver:v1.31.2
      command: [sh, -c, "kube-apiserver --authorization-mode=AlwaysAllow"]
    - name: discovery
      image: openshift/etcd-20-centos7
      args: [etcd-discovery.sh, --auto-tls]
    - name: kubelet-from-config
      image: registry.k8s.io/kubelet:v1.31.2
      command: [kubelet, --config=/var/lib/kubelet/config.yaml]
"""
    assert found(text, "control-plane-flag") == []


def test_kubeadm_control_plane_manifests_pass():
    """The static pods `kubeadm init` writes (flags as in its generated manifests) are the
    reference a cluster starts from: none of them is reported."""
    text = """\
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels: {component: kube-apiserver, tier: control-plane}
spec:
  hostNetwork: true
  priorityClassName: system-node-critical
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.2
      command:
        - kube-apiserver
        - --advertise-address=10.0.0.10
        - --allow-privileged=true
        - --authorization-mode=Node,RBAC
        - --client-ca-file=/etc/kubernetes/pki/ca.crt
        - --enable-admission-plugins=NodeRestriction
        - --enable-bootstrap-token-auth=true
        - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
        - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
        - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
        - --etcd-servers=https://127.0.0.1:2379
        - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
        - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
        - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
        - --secure-port=6443
        - --service-account-issuer=https://kubernetes.default.svc.cluster.local
        - --service-account-key-file=/etc/kubernetes/pki/sa.pub
        - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key
        - --service-cluster-ip-range=10.96.0.0/12
        - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
        - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
---
apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: etcd
      image: registry.k8s.io/etcd:3.5.15-0
      command:
        - etcd
        - --advertise-client-urls=https://10.0.0.10:2379
        - --cert-file=/etc/kubernetes/pki/etcd/server.crt
        - --client-cert-auth=true
        - --data-dir=/var/lib/etcd
        - --initial-advertise-peer-urls=https://10.0.0.10:2380
        - --initial-cluster=cp-1=https://10.0.0.10:2380
        - --key-file=/etc/kubernetes/pki/etcd/server.key
        - --listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379
        - --listen-metrics-urls=http://127.0.0.1:2381
        - --listen-peer-urls=https://10.0.0.10:2380
        - --name=cp-1
        - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
        - --peer-client-cert-auth=true
        - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key
        - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
        - --snapshot-count=10000
        - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
---
apiVersion: v1
kind: Pod
metadata:
  name: kube-controller-manager
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - name: kube-controller-manager
      image: registry.k8s.io/kube-controller-manager:v1.31.2
      command:
        - kube-controller-manager
        - --bind-address=127.0.0.1
        - --kubeconfig=/etc/kubernetes/controller-manager.conf
        - --use-service-account-credentials=true
"""
    assert found(text, "control-plane-flag") == []


def test_control_plane_args_come_after_command_and_the_last_flag_wins():
    text = """\
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.2
      command: [kube-apiserver, --authorization-mode=Node,RBAC, --insecure-port=0]
      args: [--authorization-mode=AlwaysAllow]
"""
    assert [f[:3] for f in found(text, "control-plane-flag")] == [("control-plane-flag", 10, 14)]
