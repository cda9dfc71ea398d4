#include "config/namespaces.h"

#include "gtest/gtest.h"

namespace hull::config {
namespace {

TEST(NamespacesTest, ListedAndCreated) {
  Spec spec;
  spec.mutable_linux()->add_namespaces()->set_type("user");
  Namespace& network = *spec.mutable_linux()->add_namespaces();
  network.set_type("network");
  network.set_path("/run/netns/a");
  EXPECT_TRUE(HasNamespace(spec, "user"));
  EXPECT_TRUE(CreatesNamespace(spec, "user"));
  EXPECT_TRUE(HasNamespace(spec, "network"));
  EXPECT_FALSE(CreatesNamespace(spec, "network"));  // joined
  EXPECT_FALSE(HasNamespace(spec, "pid"));
  EXPECT_FALSE(CreatesNamespace(spec, "pid"));
  EXPECT_EQ(JoinedNamespacePath(spec, "network"), "/run/netns/a");
  EXPECT_EQ(JoinedNamespacePath(spec, "user"), "");  // created
  EXPECT_EQ(JoinedNamespacePath(spec, "pid"), "");   // not listed
}

}  // namespace
}  // namespace hull::config
