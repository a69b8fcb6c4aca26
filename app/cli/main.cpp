#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lifeboatctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIFEBOAT_VERSION));
    QTextStream(stdout) << "lifeboatctl " << QCoreApplication::applicationVersion() << '\n';
    return 0;
}
