#include "sentinel/io/sock_diag.hpp"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sentinel/io/fs.hpp"

namespace sentinel {
namespace {

constexpr std::size_t kMaxDumpBytes = 16u << 20;  // a bound against a runaway dump

// Netlink attributes of one message after its fixed header of `header` bytes.
template <class F>
void each_attribute(const nlmsghdr* h, std::size_t header, F&& f) {
    const char* start = reinterpret_cast<const char*>(NLMSG_DATA(h)) + NLMSG_ALIGN(header);
    const char* end = reinterpret_cast<const char*>(h) + h->nlmsg_len;
    while (start + sizeof(nlattr) <= end) {
        const nlattr* a = reinterpret_cast<const nlattr*>(start);
        if (a->nla_len < sizeof(nlattr) || start + a->nla_len > end) return;
        f(a->nla_type & NLA_TYPE_MASK, start + NLA_HDRLEN, a->nla_len - NLA_HDRLEN);
        start += NLA_ALIGN(a->nla_len);
    }
}

std::string address_text(int family, const void* bytes) {
    char text[INET6_ADDRSTRLEN] = "";
    inet_ntop(family, bytes, text, sizeof text);
    return text;
}

Result<std::vector<SocketEntry>> proc_net_tcp() {
    PosixFileReader files;
    FileRead v4 = files.read("/proc/net/tcp"), v6 = files.read("/proc/net/tcp6");
    if (v4.status != FileRead::Status::ok) return Error{"/proc/net/tcp", 0, 0, v4.reason.empty() ? "missing" : v4.reason};
    std::vector<SocketEntry> out = parse_proc_net_tcp(v4.data, false);
    if (v6.status == FileRead::Status::ok)
        for (SocketEntry& s : parse_proc_net_tcp(v6.data, true)) out.push_back(std::move(s));
    return out;
}

}  // namespace

SockDiag::~SockDiag() {
    if (fd_ >= 0) ::close(fd_);
}

bool SockDiag::dump(const void* request, std::size_t size, std::vector<std::string>& messages) {
    if (fd_ < 0) fd_ = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd_ < 0) return false;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd_, request, size, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) return false;
    alignas(nlmsghdr) char buf[32768];
    std::size_t total = 0;
    for (;;) {
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        total += static_cast<std::size_t>(n);
        if (total > kMaxDumpBytes) return false;
        for (nlmsghdr* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, static_cast<unsigned>(n)); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != seq_) continue;  // a late answer to an earlier, abandoned dump
            if (h->nlmsg_type == NLMSG_DONE) return true;
            if (h->nlmsg_type == NLMSG_ERROR) return false;
            messages.emplace_back(reinterpret_cast<const char*>(h), h->nlmsg_len);
        }
    }
}

Result<std::vector<SocketEntry>> SockDiag::tcp() {
    std::vector<SocketEntry> out;
    for (int family : {AF_INET, AF_INET6}) {
        struct {
            nlmsghdr nlh;
            inet_diag_req_v2 req;
        } msg{};
        msg.nlh.nlmsg_len = sizeof msg;
        msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
        msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
        msg.nlh.nlmsg_seq = ++seq_;
        msg.req.sdiag_family = static_cast<__u8>(family);
        msg.req.sdiag_protocol = IPPROTO_TCP;
        msg.req.idiag_states = 1u << TCP_LISTEN;
        std::vector<std::string> messages;
        if (!dump(&msg, sizeof msg, messages)) {
            if (fd_ >= 0) ::close(fd_), fd_ = -1;
            return proc_net_tcp();
        }
        for (const std::string& m : messages) {
            const nlmsghdr* h = reinterpret_cast<const nlmsghdr*>(m.data());
            if (h->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg))) continue;
            const inet_diag_msg* d = reinterpret_cast<const inet_diag_msg*>(NLMSG_DATA(h));
            SocketEntry s;
            s.family = d->idiag_family == AF_INET6 ? SocketEntry::Family::v6 : SocketEntry::Family::v4;
            s.address = address_text(d->idiag_family, d->id.idiag_src);
            s.port = ntohs(d->id.idiag_sport);
            s.inode = d->idiag_inode;
            s.uid = static_cast<long>(d->idiag_uid);
            each_attribute(h, sizeof(inet_diag_msg), [&](unsigned type, const char* data, std::size_t len) {
                if (type == INET_DIAG_SKV6ONLY && len >= 1) s.v6only = data[0] != 0;
            });
            out.push_back(std::move(s));
        }
    }
    return out;
}

Result<std::vector<SocketEntry>> SockDiag::unix_sockets() {
    struct {
        nlmsghdr nlh;
        unix_diag_req req;
    } msg{};
    msg.nlh.nlmsg_len = sizeof msg;
    msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.nlh.nlmsg_seq = ++seq_;
    msg.req.sdiag_family = AF_UNIX;
    msg.req.udiag_states = 1u << TCP_LISTEN;
    msg.req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_UID;
    std::vector<std::string> messages;
    if (!dump(&msg, sizeof msg, messages)) {
        if (fd_ >= 0) ::close(fd_), fd_ = -1;
        FileRead r = PosixFileReader().read("/proc/net/unix");
        if (r.status != FileRead::Status::ok) return Error{"/proc/net/unix", 0, 0, r.reason.empty() ? "missing" : r.reason};
        return parse_proc_net_unix(r.data);
    }
    std::vector<SocketEntry> out;
    for (const std::string& m : messages) {
        const nlmsghdr* h = reinterpret_cast<const nlmsghdr*>(m.data());
        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(unix_diag_msg))) continue;
        const unix_diag_msg* d = reinterpret_cast<const unix_diag_msg*>(NLMSG_DATA(h));
        SocketEntry s;
        s.family = SocketEntry::Family::unix_socket;
        s.inode = d->udiag_ino;
        each_attribute(h, sizeof(unix_diag_msg), [&](unsigned type, const char* data, std::size_t len) {
            if (type == UNIX_DIAG_NAME && len > 0) {
                s.path = data[0] == '\0' ? "@" + std::string(data + 1, len - 1) : std::string(data, ::strnlen(data, len));
            } else if (type == UNIX_DIAG_VFS && len >= sizeof(unix_diag_vfs)) {
                unix_diag_vfs vfs;
                std::memcpy(&vfs, data, sizeof vfs);
                s.vfs_ino = vfs.udiag_vfs_ino;
                // The kernel's dev_t (major << 20 | minor) as stat(2) reports it.
                s.vfs_dev = makedev(vfs.udiag_vfs_dev >> 20, vfs.udiag_vfs_dev & 0xfffff);
            } else if (type == UNIX_DIAG_UID && len >= sizeof(uid_t)) {
                uid_t uid;
                std::memcpy(&uid, data, sizeof uid);
                s.uid = static_cast<long>(uid);
            }
        });
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace sentinel
